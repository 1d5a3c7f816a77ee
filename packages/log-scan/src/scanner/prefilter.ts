import { ANCHORS } from '../matchers/all.js';

/**
 * One regular expression over every matcher anchor: run on a chunk viewed as latin1 (one char
 * per byte, so string offsets are byte offsets), it finds the candidate lines in one pass.
 */
export function createPrefilter(): RegExp {
  return new RegExp(ANCHORS.map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}
