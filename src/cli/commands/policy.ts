import type { Command } from 'commander';
import { setPolicyRule, showPolicy, validatePolicyFile, type RuleSettings } from '../../app/index.ts';
import { UsageError } from '../../shared/errors.ts';
import type { CliContext } from '../context.ts';
import { eprintln, println } from '../io.ts';
import { collectClaim } from './push.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

/** `docker trustext policy set|show|validate`: the trust policy file. */
export function registerPolicy(program: Command, ctx: CliContext): void {
  const policy = program.command('policy').description('Manage the trust policy (who must sign which repositories)');
  policy.command('set').description('Create or replace the rule for a repository glob').argument('<glob>', 'e.g. registry.example/team/** ')
    .option('--signer <name>', 'a signer whose keys count (repeatable; default: any key trusted for the repository)', collect, [])
    .option('--threshold <n>', 'how many distinct keys must have signed (default 1)')
    .option('--require-claim <key=value>', 'a claim every counted signature must carry (repeatable)', collectClaim, {})
    .option('--mode <mode>', 'enforce (default), warn or off')
    .action(async (glob: string, opts: { signer: string[]; threshold?: string; requireClaim: Record<string, string>; mode?: string }) => {
      const threshold = opts.threshold === undefined ? undefined : Number(opts.threshold);
      if (threshold !== undefined && !Number.isInteger(threshold)) throw new UsageError(`--threshold must be a whole number, got "${opts.threshold}"`);
      if (opts.mode !== undefined && !['enforce', 'warn', 'off'].includes(opts.mode)) throw new UsageError(`--mode must be enforce, warn or off, got "${opts.mode}"`);
      const settings = {
        ...(opts.signer.length && { signers: opts.signer }), ...(threshold !== undefined && { threshold }),
        ...(Object.keys(opts.requireClaim).length && { requireClaims: opts.requireClaim }), ...(opts.mode && { mode: opts.mode }),
      } as RuleSettings;
      await setPolicyRule(await ctx.session(), glob, settings);
      eprintln(ctx.io, `Policy rule for ${glob} set`);
    });
  policy.command('show').description('Print the policy in force').action(async () => {
    const { path, text } = await showPolicy(await ctx.session());
    eprintln(ctx.io, `# ${path}`);
    ctx.io.stdout.write(text);
  });
  policy.command('validate').description('Check a policy file (default: the one in force)').argument('[file]')
    .action(async (file?: string) => {
      const { path, policy: p } = await validatePolicyFile(await ctx.session(), file);
      println(ctx.io, `${path}: valid (${p.rules.length} rule(s), ${Object.keys(p.signers).length} signer(s))`);
    });
}
