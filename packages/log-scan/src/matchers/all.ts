import type { Matcher } from './matcher.js';
import sshdFailedPassword from './sshd-failed-password.js';
import sshdFailedPublickey from './sshd-failed-publickey.js';
import sshdFailedKeyboardInteractive from './sshd-failed-keyboard-interactive.js';
import sshdFailedNone from './sshd-failed-none.js';
import sshdInvalidUser from './sshd-invalid-user.js';
import sshdUserNotAllowed from './sshd-user-not-allowed.js';
import sshdPamAuthFailure from './sshd-pam-auth-failure.js';
import sshdMaxAuthAttempts from './sshd-max-auth-attempts.js';
import sshdRootLoginRefused from './sshd-root-login-refused.js';
import sshdPreauthDisconnect from './sshd-preauth-disconnect.js';
import pamUnixAuthFailure from './pam-unix-auth-failure.js';
import vsftpdFailLogin from './vsftpd-fail-login.js';
import dovecotLoginAuthFailed from './dovecot-login-auth-failed.js';
import dovecotAuthFailure from './dovecot-auth-failure.js';
import postfixSaslAuthFailed from './postfix-sasl-auth-failed.js';
import nginxBasicAuth from './nginx-basic-auth.js';
import apacheAuthFailure from './apache-auth-failure.js';
import sshdFailedHostbased from './sshd-failed-hostbased.js';
import sshdFailedOtherMethod from './sshd-failed-other-method.js';
import sshdUsernameChange from './sshd-username-change.js';
import sshdClientAuthFail from './sshd-client-auth-fail.js';
import pamAuthFailure from './pam-auth-failure.js';
import dovecotPlaintextAuthRefused from './dovecot-plaintext-auth-refused.js';
import apacheDigestAuthFailure from './apache-digest-auth-failure.js';
import apacheWrongAuthScheme from './apache-wrong-auth-scheme.js';

/**
 * Every matcher, in the order they are tried on a line. The first ones are numbered in
 * wasm/scanner.c (KIND_*): new matchers go at the end.
 */
export const MATCHERS: readonly Matcher[] = [
  sshdFailedPassword,
  sshdFailedPublickey,
  sshdFailedKeyboardInteractive,
  sshdFailedNone,
  sshdInvalidUser,
  sshdUserNotAllowed,
  sshdPamAuthFailure,
  sshdMaxAuthAttempts,
  sshdRootLoginRefused,
  sshdPreauthDisconnect,
  pamUnixAuthFailure,
  vsftpdFailLogin,
  dovecotLoginAuthFailed,
  dovecotAuthFailure,
  postfixSaslAuthFailed,
  nginxBasicAuth,
  apacheAuthFailure,
  sshdFailedHostbased,
  sshdFailedOtherMethod,
  sshdUsernameChange,
  sshdClientAuthFail,
  pamAuthFailure,
  dovecotPlaintextAuthRefused,
  apacheDigestAuthFailure,
  apacheWrongAuthScheme,
];

/** Every anchor of every matcher, without those that contain a shorter one. */
export const ANCHORS: readonly string[] = [...new Set(MATCHERS.flatMap((m) => m.anchors))]
  .filter((anchor, _, all) => !all.some((other) => other !== anchor && anchor.includes(other)));
