#!/usr/bin/env node
import { COMMON_FLAGS_HELP, dispatchCommand, readPackageVersion, runCli } from '@ops/core';
import { formatCommand } from './cli/format-command.js';
import { inferCommand } from './cli/infer-command.js';
import { validateCommand } from './cli/validate-command.js';

const USAGE = `Usage: config-schema <command> [options]

Load YAML/JSON configuration, check it against a JSON Schema, write one standardized form.

Commands:
  validate CONFIG... --schema SCHEMA [--format json|yaml] [--output FILE]
                        validate files; with one valid file print its standardized form
  format CONFIG         standardize without a schema (keys sorted)
  infer CONFIG...       a starting JSON Schema from example files

Problems go to stderr as FILE:LINE:COL: message.
Exit codes: 0 valid, 1 invalid, 2 usage or unreadable file.
Run config-schema <command> --help for a command's options.

${COMMON_FLAGS_HELP}
`;

const COMMANDS = { validate: validateCommand, format: formatCommand, infer: inferCommand } as const;

await runCli((ctx) => dispatchCommand(ctx, COMMANDS, { name: 'config-schema', usage: USAGE }), { name: 'config-schema', version: () => readPackageVersion(new URL('../package.json', import.meta.url)) });
