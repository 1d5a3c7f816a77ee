import type { ConfigProblem } from '../problem.js';

/**
 * A problem as a GitHub Actions workflow command, which the runner shows on the file and line
 * of the pull request: `::error file=app.yaml,line=2,col=11,title=config-schema (schema)::replicas: ...`.
 * Values are escaped as the runner expects (`%`, CR, LF; and `:` `,` in properties).
 */
export function githubAnnotation(problem: ConfigProblem): string {
  const file = property(problem.file);
  const title = property(`config-schema (${problem.kind})`);
  return `::error file=${file},line=${problem.line},col=${problem.col},title=${title}::${data(problem.message)}`;
}

function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Annotations are written with `--format github`, and beside the plain lines when running in GitHub Actions. */
export function wantsAnnotations(format: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return format === 'github' || (format === undefined && env.GITHUB_ACTIONS === 'true');
}
