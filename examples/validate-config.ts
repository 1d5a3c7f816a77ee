/**
 * validate-config: load a YAML/JSON config, validate it against a JSON Schema and print it in
 * standard form (@ops/config-schema).
 *
 * Shows `checkConfig()`: `${VAR:-default}` interpolation, every problem collected with its
 * line and column (not just the first), schema defaults filled in, and `standardize()` +
 * `stringifyConfig()` writing the keys in schema order.
 *
 * Run:  pnpm --filter @ops/examples exec tsx validate-config.ts [CONFIG] [--schema SCHEMA] [--format yaml|json]
 *       (defaults: fixtures/deploy.yaml, fixtures/deploy.schema.json, the config's own format)
 *
 * Expected output (fixtures/deploy.yaml), exit code 0: the config with defaults, in schema order
 *   service: shop-api
 *   environment: staging
 *   replicas: 2
 *   image:
 *     context: "./app"
 *   ...
 * Expected output (fixtures/deploy-invalid.yaml), on stderr, exit code 1:
 *   fixtures/deploy-invalid.yaml:2:10: service: must match the pattern ^[a-z][a-z0-9-]{1,40}$, got the string "Shop API"
 *   fixtures/deploy-invalid.yaml:3:14: environment: must be one of "dev", "staging" or "production", got the string "stagging"
 *   fixtures/deploy-invalid.yaml:4:11: replicas: must be an integer, got the string "three"
 *   fixtures/deploy-invalid.yaml:8:3: image.contxt: is not an allowed property (allowed: context, repository, tag, buildArgs)
 *   fixtures/deploy-invalid.yaml:9:10: targets: must have at least 1 item, got a list of 0 items
 *   fixtures/deploy-invalid.yaml:11:3: deploy.url: is required but missing from deploy
 *   6 problems in fixtures/deploy-invalid.yaml
 */
import { fileURLToPath } from 'node:url';
import { ExitCode, parseCliArgs, runCli, UsageError } from '@ops/core';
import { checkConfig, formatProblem, standardize, stringifyConfig } from '@ops/config-schema';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

await runCli(async ({ argv, signal, stdout, stderr }) => {
  const { values, positionals } = parseCliArgs(argv, {
    schema: { type: 'string', default: fixture('deploy.schema.json') },
    format: { type: 'string' },
  } as const);
  if (values.format !== undefined && values.format !== 'yaml' && values.format !== 'json') {
    throw new UsageError(`Expected \`--format\` to be yaml or json, got "${values.format}"`);
  }
  const file = positionals[0] ?? fixture('deploy.yaml');

  const check = await checkConfig(file, { schema: values.schema, signal });
  if (!check.valid) {
    for (const problem of check.problems) stderr.write(`${formatProblem(problem)}\n`);
    stderr.write(`${check.problems.length} problem${check.problems.length === 1 ? '' : 's'} in ${file}\n`);
    return ExitCode.PROBLEM;
  }
  const standard = check.documents.map((doc) => standardize(doc, check.schema));
  stdout.write(stringifyConfig(standard, values.format ?? check.format));
  return ExitCode.OK;
}, { name: 'validate-config' });
