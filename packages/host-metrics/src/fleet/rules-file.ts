import { stringify } from 'yaml';
import { alertingRuleGroup, type AlertingRulesOptions } from './alerting-rules.js';
import { recordingRuleGroup, type RecordingRulesOptions } from './recording-rules.js';

/** Options of `buildRulesFile`: the recording rules' and the alerts'. */
export interface RulesFileOptions extends RecordingRulesOptions, AlertingRulesOptions {
  /** Include the alerting rules. Defaults to true. */
  readonly alerts?: boolean;
}

/** One Prometheus rules file (YAML): the fleet recording rules and, unless `alerts: false`, the alerts. */
export function buildRulesFile(options: RulesFileOptions = {}): string {
  const groups: object[] = [recordingRuleGroup(options)];
  if (options.alerts !== false) groups.push(alertingRuleGroup(options));
  return stringify({ groups });
}
