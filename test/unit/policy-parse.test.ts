/** policy.json parsing: every schema rule refused with its exact file, line and field; canonical serialisation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyPolicy, parsePolicy, serializePolicy, validatePolicy, type Policy } from '../../src/trust/index.ts';
import { throwsWithCode } from '../kit/index.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);
const doc = (...lines: string[]): string => lines.join('\n');
const SIGNERS = `"signers": { "alice": { "keys": ["${A}"] }, "bob": { "keys": ["${B}"] } },`;

/** [name, text, line, field or null for JSON syntax, message after "field: "] */
const errors: [string, string, number, string | null, string][] = [
  ['empty text', '', 1, null, 'invalid JSON: unexpected end of text'],
  ['syntax: trailing comma', doc('{', '  "version": 1,', '}'), 3, null, 'invalid JSON: expected a string key, found character "}"'],
  ['syntax: text after the document', doc('{ "version": 1 }', 'x'), 2, null, 'invalid JSON: unexpected character "x" after the end of the document'],
  ['syntax: leading zero', doc('{', '"version": 01 }'), 2, null, 'invalid JSON: expected "," or "}", found character "1"'],
  ['duplicate top-level key', doc('{', '  "version": 1,', '  "version": 1', '}'), 3, 'version', 'duplicate key "version"'],
  [
    'duplicate nested key',
    doc('{ "version": 1, "rules": [', '  { "repositories": "r.io/**",', '    "mode": "warn", "mode": "off" } ] }'),
    3,
    'rules[0].mode',
    'duplicate key "mode"',
  ],
  ['root is not an object', '[]', 1, '(document)', 'must be a JSON object'],
  ['unknown top-level field', doc('{', '  "version": 1,', '  "rule": []', '}'), 3, 'rule', 'unknown field (expected version, signers, rules, default, engine)'],
  ['version missing', doc('{', '  "rules": []', '}'), 1, 'version', 'is required (write "version": 2)'],
  ['version 3', doc('{', '  "version": 3', '}'), 2, 'version', 'must be 1 or 2 (the policy versions this trustext reads)'],
  ['version 0', doc('{', '  "version": 0', '}'), 2, 'version', 'must be 1 or 2 (the policy versions this trustext reads)'],
  ['version as a string', doc('{', '  "version": "1"', '}'), 2, 'version', 'must be 1 or 2 (the policy versions this trustext reads)'],
  ['signers not an object', doc('{ "version": 1,', '  "signers": [] }'), 2, 'signers', 'must be a JSON object'],
  [
    'bad signer name',
    doc('{ "version": 1, "signers": {', '  "Alice": { "keys": [] } } }'),
    2,
    'signers.Alice',
    'a signer name is 1 to 64 of a-z, 0-9, "_" and "-", starting with a letter or digit',
  ],
  [
    'signer name with a leading dash',
    doc('{ "version": 1, "signers": {', '  "-x": { "keys": [] } } }'),
    2,
    'signers["-x"]',
    'a signer name is 1 to 64 of a-z, 0-9, "_" and "-", starting with a letter or digit',
  ],
  ['signer without keys', doc('{ "version": 1, "signers": {', '  "alice": {', '  } } }'), 2, 'signers.alice.keys', 'is required'],
  [
    'unknown signer field',
    doc('{ "version": 1, "signers": {', '  "alice": { "keys": [],', '    "email": "a@x" } } }'),
    3,
    'signers.alice.email',
    'unknown field (expected keys)',
  ],
  [
    'keys not an array',
    doc('{ "version": 1, "signers": {', '  "alice": { "keys":', `    "${A}" } } }`),
    3,
    'signers.alice.keys',
    'must be an array of strings',
  ],
  [
    'key id not hex',
    doc('{ "version": 1, "signers": { "alice": { "keys": [', `  "${A}",`, `  "${'A'.repeat(64)}" ] } } }`),
    3,
    'signers.alice.keys[1]',
    'must be a key id: 64 lower-case hex digits (SHA-256 of the public key)',
  ],
  ['key id not a string', doc('{ "version": 1, "signers": { "alice": { "keys": [', '  7 ] } } }'), 2, 'signers.alice.keys[0]', 'must be a string'],
  [
    'key listed twice',
    doc('{ "version": 1, "signers": { "alice": { "keys": [', `  "${A}",`, `  "${A}" ] } } }`),
    3,
    'signers.alice.keys[1]',
    'key is listed twice',
  ],
  [
    'key of two signers',
    doc('{ "version": 1, "signers": {', `  "alice": { "keys": ["${A}"] },`, `  "bob": { "keys": ["${A}"] } } }`),
    3,
    'signers.bob.keys[0]',
    'key already belongs to signer alice',
  ],
  ['rules not an array', doc('{ "version": 1,', '  "rules": {} }'), 2, 'rules', 'must be an array of rules'],
  ['rule not an object', doc('{ "version": 1, "rules": [', '  "r.io/**" ] }'), 2, 'rules[0]', 'must be a JSON object'],
  [
    'unknown rule field',
    doc('{ "version": 1, "rules": [', '  { "repositories": "r.io/**",', '    "treshold": 2 } ] }'),
    3,
    'rules[0].treshold',
    'unknown field (expected repositories, signers, threshold, requireClaims, mode, override)',
  ],
  ['repositories missing', doc('{ "version": 1, "rules": [', '  { "mode": "warn" } ] }'), 2, 'rules[0].repositories', 'is required'],
  ['repositories not a string', doc('{ "version": 1, "rules": [ {', '  "repositories": ["r.io/**"] } ] }'), 2, 'rules[0].repositories', 'must be a string'],
  [
    'glob without a registry host',
    doc('{ "version": 1, "rules": [ {', '  "repositories": "team/**" } ] }'),
    2,
    'rules[0].repositories',
    'invalid repository glob: the first segment "team" is not a registry host; write the fully qualified name, e.g. docker.io/team/**',
  ],
  [
    'glob with a tag',
    doc('{ "version": 1, "rules": [ {', '  "repositories": "r.io/app:1" } ] }'),
    2,
    'rules[0].repositories',
    'invalid repository glob: path segments use only lower-case letters, digits, ".", "_", "-" and "*" (a scope names repositories: no tag or digest)',
  ],
  [
    'duplicate glob',
    doc(
      '{ "version": 1, "rules": [',
      '  { "repositories": "r.io/**" },',
      '  { "repositories": "r.io/x" },',
      '  { "repositories": "r.io/**", "mode": "warn" } ] }',
    ),
    4,
    'rules[2].repositories',
    'duplicates rules[0].repositories',
  ],
  [
    'rule signers empty',
    doc('{ "version": 1, "rules": [ { "repositories": "r.io/**",', '  "signers": [] } ] }'),
    2,
    'rules[0].signers',
    'must name at least one signer (leave the field out to count any trusted key)',
  ],
  [
    'rule names an unknown signer',
    doc('{ "version": 1,', SIGNERS, '"rules": [ { "repositories": "r.io/**",', '  "signers": ["alice",', '    "carol"] } ] }'),
    5,
    'rules[0].signers[1]',
    'unknown signer "carol" (not defined under signers)',
  ],
  [
    'rule names a signer twice',
    doc('{ "version": 1,', SIGNERS, '"rules": [ { "repositories": "r.io/**",', '  "signers": ["alice", "alice"] } ] }'),
    4,
    'rules[0].signers[1]',
    'names signer alice twice',
  ],
  [
    'threshold above the keys held',
    doc(
      '{',
      '  "version": 1,',
      `  ${SIGNERS}`,
      '  "rules": [',
      '    { "repositories": "r.io/a/**" },',
      '    { "repositories": "r.io/**", "signers": ["alice", "bob"],',
      '      "threshold": 3 }',
      '  ]',
      '}',
    ),
    7,
    'rules[1].threshold',
    'must be an integer from 1 to 2 (the keys signers alice, bob hold)',
  ],
  [
    'threshold 0',
    doc('{ "version": 1,', SIGNERS, '"rules": [ { "repositories": "r.io/**", "signers": ["alice"],', '  "threshold": 0 } ] }'),
    4,
    'rules[0].threshold',
    'must be an integer from 1 to 1 (the keys signers alice hold)',
  ],
  [
    'threshold not an integer',
    doc('{ "version": 1,', SIGNERS, '"rules": [ { "repositories": "r.io/**", "signers": ["alice", "bob"],', '  "threshold": 1.5 } ] }'),
    4,
    'rules[0].threshold',
    'must be an integer from 1 to 2 (the keys signers alice, bob hold)',
  ],
  [
    'threshold as a string',
    doc('{ "version": 1,', SIGNERS, '"rules": [ { "repositories": "r.io/**", "signers": ["alice", "bob"],', '  "threshold": "2" } ] }'),
    4,
    'rules[0].threshold',
    'must be an integer from 1 to 2 (the keys signers alice, bob hold)',
  ],
  [
    'threshold 0 without signers',
    doc('{ "version": 1, "rules": [ { "repositories": "r.io/**",', '  "threshold": 0 } ] }'),
    2,
    'rules[0].threshold',
    'must be an integer of at least 1',
  ],
  [
    'signers holding no keys',
    doc('{ "version": 1, "signers": { "alice": { "keys": [] } },', '"rules": [ { "repositories": "r.io/**",', '  "signers": ["alice"] } ] }'),
    3,
    'rules[0].signers',
    'cannot be met: signers alice hold no keys',
  ],
  [
    'requireClaims not an object',
    doc('{ "version": 1, "rules": [ { "repositories": "r.io/**",', '  "requireClaims": ["env"] } ] }'),
    2,
    'rules[0].requireClaims',
    'must be a JSON object of strings',
  ],
  [
    'claim value not a string',
    doc('{ "version": 1, "rules": [ { "repositories": "r.io/**", "requireClaims": {', '  "env": "prod",', '  "level": 3 } } ] }'),
    3,
    'rules[0].requireClaims.level',
    'must be a string',
  ],
  [
    'empty claim name',
    doc('{ "version": 1, "rules": [ { "repositories": "r.io/**", "requireClaims": {', '  "": "x" } } ] }'),
    2,
    'rules[0].requireClaims[""]',
    'a claim name must not be empty',
  ],
  [
    'bad rule mode',
    doc('{ "version": 1, "rules": [ { "repositories": "r.io/**",', '  "mode": "audit" } ] }'),
    2,
    'rules[0].mode',
    'must be one of enforce, warn, off',
  ],
  [
    'override as a string',
    doc('{ "version": 2, "rules": [ { "repositories": "r.io/**",', '  "override": "true" } ] }'),
    2,
    'rules[0].override',
    'must be true or false',
  ],
  [
    'override as a number',
    doc('{ "version": 1, "rules": [', '  { "repositories": "r.io/**",', '    "override": 1 } ] }'),
    3,
    'rules[0].override',
    'must be true or false',
  ],
  ['override null', doc('{ "version": 2, "rules": [ { "repositories": "r.io/**", "override": null } ] }'), 1, 'rules[0].override', 'must be true or false'],
  ['default not an object', doc('{ "version": 1,', '  "default": "warn" }'), 2, 'default', 'must be a JSON object'],
  ['unknown default field', doc('{ "version": 1, "default": {', '  "threshold": 2 } }'), 2, 'default.threshold', 'unknown field (expected mode)'],
  ['bad default mode', doc('{ "version": 1, "default": {', '  "mode": "Enforce" } }'), 2, 'default.mode', 'must be one of enforce, warn, off'],
  ['engine not an object', doc('{ "version": 2,', '  "engine": true }'), 2, 'engine', 'must be a JSON object'],
  ['unknown engine field', doc('{ "version": 2, "engine": {', '  "local": "allow" } }'), 2, 'engine.local', 'unknown field (expected localImages, builds)'],
  ['bad engine.localImages', doc('{ "version": 2, "engine": {', '  "localImages": "yes" } }'), 2, 'engine.localImages', 'must be one of allow, refuse'],
  ['bad engine.builds', doc('{ "version": 2, "engine": {', '  "builds": false } }'), 2, 'engine.builds', 'must be a string'],
];

describe('parsePolicy refuses', () => {
  for (const [name, text, line, field, message] of errors) {
    it(`${name} at line ${line}`, () => {
      const err = throwsWithCode(
        () => parsePolicy(text, 'policy.json'),
        'POLICY_INVALID',
        `policy.json:${line}: ${field === null ? '' : `${field}: `}${message}`,
      );
      assert.equal(err.line, line);
      assert.equal(err.field, field ?? undefined);
    });
  }
});

const FULL = doc(
  '\uFEFF{',
  '  "rules": [',
  '    { "repositories": "registry.example/team/**", "signers": ["bob", "alice"], "threshold": 2,',
  '      "requireClaims": { "z": "1", "env": "prod" }, "mode": "warn", "override": true },',
  '    { "repositories": "docker.io/library/*" }',
  '  ],',
  `  "signers": { "bob": { "keys": ["${B}"] }, "alice": { "keys": ["${C}", "${A}"] } },`,
  '  "default": { "mode": "off" },',
  '  "version": 1.0',
  '}',
);

describe('parsePolicy accepts', () => {
  it('a full policy in any field order, keeping absent optional fields absent', () => {
    const expected: Policy = {
      version: 1,
      signers: { bob: { keys: [B] }, alice: { keys: [C, A] } },
      rules: [
        {
          repositories: 'registry.example/team/**',
          signers: ['bob', 'alice'],
          threshold: 2,
          requireClaims: { z: '1', env: 'prod' },
          mode: 'warn',
          override: true,
        },
        { repositories: 'docker.io/library/*' },
      ],
      default: { mode: 'off' },
    };
    assert.deepEqual(parsePolicy(FULL, 'p'), expected);
  });

  it('the minimal document as the empty policy, in version 1 and 2', () => {
    assert.deepEqual(parsePolicy('{"version":2}', 'p'), emptyPolicy());
    assert.deepEqual(parsePolicy('{"version":2,"signers":{},"rules":[],"default":{}}', 'p'), emptyPolicy());
    assert.deepEqual(parsePolicy('{"version":1}', 'p'), { ...emptyPolicy(), version: 1 });
  });

  it('override true and false in version 1 and 2 files, keeping the version read', () => {
    for (const version of [1, 2]) {
      const p = parsePolicy(
        JSON.stringify({
          version,
          rules: [{ repositories: 'r.io/a', override: true }, { repositories: 'r.io/b', override: false }, { repositories: 'r.io/c' }],
        }),
        'p',
      );
      assert.equal(p.version, version);
      assert.deepEqual(p.rules, [{ repositories: 'r.io/a', override: true }, { repositories: 'r.io/b', override: false }, { repositories: 'r.io/c' }]);
    }
  });

  it('a claim named __proto__ as an ordinary claim', () => {
    const p = parsePolicy('{"version":1,"rules":[{"repositories":"r.io/**","requireClaims":{"__proto__":"x"}}]}', 'p');
    assert.deepEqual(Object.entries(p.rules[0]!.requireClaims!), [['__proto__', 'x']]);
  });
});

describe('engine settings', () => {
  it('reads them, and writes back only the fields the file had', () => {
    const p = parsePolicy('{"version": 2, "engine": {"localImages": "allow"}}', 'p');
    assert.deepEqual(p.engine, { localImages: 'allow' });
    assert.match(serializePolicy(p), /"engine": \{\n {4}"localImages": "allow"\n {2}\}/);
    assert.deepEqual(parsePolicy(serializePolicy(p), 'p'), p);
    assert.equal(parsePolicy('{"version": 2}', 'p').engine, undefined);
    assert.doesNotMatch(serializePolicy(parsePolicy('{"version": 2}', 'p')), /engine/);
  });
});

describe('serializePolicy', () => {
  it('writes the empty policy canonically', () => {
    assert.equal(serializePolicy(emptyPolicy()), '{\n  "version": 2,\n  "signers": {},\n  "rules": [],\n  "default": {\n    "mode": "enforce"\n  }\n}\n');
  });

  it('sorts signers and claims, keeps rule and key order, and round-trips byte for byte', () => {
    const text = serializePolicy(parsePolicy(FULL, 'p'));
    assert.ok(text.indexOf('"alice"') < text.indexOf('"bob"'));
    assert.ok(text.indexOf('"env"') < text.indexOf('"z"'));
    assert.ok(text.indexOf(C) < text.indexOf(A));
    assert.ok(text.indexOf('team/**') < text.indexOf('library/*'));
    assert.ok(!text.includes('"threshold": 1') && text.endsWith('}\n'));
    assert.equal(serializePolicy(parsePolicy(text, 'p')), text);
  });

  it('writes version 2 for a policy read from a version 1 file, with override where the rule has it', () => {
    const v1 = parsePolicy('{"version":1,"rules":[{"repositories":"r.io/a","mode":"off","override":true},{"repositories":"r.io/b"}]}', 'p');
    const text = serializePolicy(v1);
    assert.match(text, /^\{\n {2}"version": 2,\n/);
    assert.match(text, /"mode": "off",\n {6}"override": true\n/);
    assert.equal(parsePolicy(text, 'p').version, 2);
    assert.equal(validatePolicy(v1).version, 2);
  });

  it('validatePolicy reports the field without a line', () => {
    const bad: Policy = { ...emptyPolicy(), rules: [{ repositories: 'r.io/**', threshold: 0 }] };
    const err = throwsWithCode(() => validatePolicy(bad), 'POLICY_INVALID', 'invalid policy: rules[0].threshold: must be an integer of at least 1');
    assert.equal(err.line, undefined);
    assert.equal(err.field, 'rules[0].threshold');
  });
});
