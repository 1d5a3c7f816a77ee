// `@ops/resilient-http/http1`: the HTTP/1.1 response parts of the direct download path (head,
// body framing, chunked decoding, with their limits), for @ops packages that speak HTTP/1.1 on
// node:net themselves (image-builder's Engine client). A separate entry: importing it loads
// neither undici nor the client.
export { MAX_HEAD_BYTES, ProtocolViolation, framingOf, parseHead, type Framing, type ResponseHead } from './http/direct/http1-head.js';
export { BodyDecoder } from './http/direct/body-decoder.js';
