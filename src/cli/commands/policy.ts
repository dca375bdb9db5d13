import { type Command, Option } from 'commander';
import { setPolicyRule, showPolicy, validatePolicyFile, type RuleSettings } from '../../app/index.ts';
import type { CliContext } from '../context.ts';
import { eprintln, println } from '../io.ts';
import { collect, collectClaim, formatOption, wholeNumber } from '../options.ts';

const SET_HELP = `
Every rule whose glob matches a repository applies, most specific first, until one with --override: a narrower
rule adds requirements to the broader ones unless it overrides them. --mode warn and --mode off imply --override.
`;

/** `docker trustext policy set|show|validate`: the trust policy file. */
export function registerPolicy(program: Command, ctx: CliContext): void {
  const policy = program.command('policy').description('Manage the trust policy (who must sign which repositories)');
  policy
    .command('set')
    .description('Create or replace the rule for a repository glob')
    .argument('<glob>', 'e.g. registry.example/team/** ')
    .option('--signer <name>', 'a signer whose keys count (repeatable; default: any key trusted for the repository)', collect, [])
    .option('--threshold <n>', 'how many distinct keys must have signed (default 1)', wholeNumber)
    .option('--require-claim <key=value>', 'a claim every counted signature must carry (repeatable)', collectClaim, {})
    .addOption(new Option('--mode <mode>', 'enforce (default), warn or off (warn and off imply --override)').choices(['enforce', 'warn', 'off']))
    .option('--override', 'broader matching rules stop applying where this one does (default: they apply too)')
    .addHelpText('after', SET_HELP)
    .action(async (glob: string, opts: { signer: string[]; threshold?: number; requireClaim: Record<string, string>; mode?: string; override?: boolean }) => {
      const threshold = opts.threshold;
      const settings = {
        ...(opts.signer.length && { signers: opts.signer }),
        ...(threshold !== undefined && { threshold }),
        ...(Object.keys(opts.requireClaim).length && { requireClaims: opts.requireClaim }),
        ...(opts.mode && { mode: opts.mode }),
        ...(opts.override && { override: true }),
      } as RuleSettings;
      const outcome = await setPolicyRule(await ctx.session(), glob, settings);
      println(ctx.io, `Policy rule for ${glob} set`);
      if (outcome.relation) eprintln(ctx.io, outcome.relation);
      for (const f of outcome.findings) eprintln(ctx.io, `warning: ${f.message}`);
    });
  policy
    .command('show')
    .description('Print the policy in force (warnings on stderr for rules that weaken broader ones)')
    .action(async () => {
      const { path, text, findings } = await showPolicy(await ctx.session());
      eprintln(ctx.io, `# ${path}`);
      for (const f of findings) eprintln(ctx.io, `warning: ${f.message}`);
      ctx.io.stdout.write(text);
    });
  policy
    .command('validate')
    .description('Check a policy file (default: the one in force); warns about rules that weaken broader ones')
    .argument('[file]')
    .addOption(formatOption())
    .action(async (file: string | undefined, opts: { format: string }) => {
      const { path, policy: p, findings } = await validatePolicyFile(await ctx.session(), file);
      const rules = p.rules.length;
      const signers = Object.keys(p.signers).length;
      if (opts.format === 'json') {
        println(
          ctx.io,
          JSON.stringify(
            {
              Path: path,
              Valid: true,
              Version: p.version,
              Rules: rules,
              Signers: signers,
              Warnings: findings.map((f) => ({
                Kind: f.kind,
                Rule: p.rules[f.index]!.repositories,
                Other: p.rules[f.other]!.repositories,
                Message: f.message,
              })),
            },
            null,
            2,
          ),
        );
        return;
      }
      for (const f of findings) eprintln(ctx.io, `warning: ${f.message}`);
      const version = p.version === 1 ? 'version 1, read as version 2: rules combine; ' : '';
      println(ctx.io, `${path}: valid (${version}${rules} rule(s), ${signers} signer(s))`);
    });
}
