/**
 * The proxy's request classifier against the daemon's reading of the same bytes: gorilla/mux routes on the decoded,
 * clean path with or without /vX.Y; Go's url.ParseQuery; postImagesCreate's fromImage/tag rules; encoding/json's
 * case-insensitive, last-wins field matching. Every shape the daemon could read differently from us is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyRequest,
  cleanPath,
  containerCreateImages,
  imageCreateRequest,
  parseGoQuery,
  pinImages,
  serviceImage,
  MAX_BODY_BYTES,
} from '../../src/proxy/index.ts';
import { throwsWithCode } from '../kit/index.ts';

const body = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

describe('classifyRequest', () => {
  const rows: [string, string, string, string?][] = [
    ['POST', '/images/create?fromImage=busybox&tag=1', 'images-create'],
    ['POST', '/v1.41/images/create?fromImage=busybox', 'images-create'],
    ['POST', '/v1.41/containers/create?name=web', 'containers-create'],
    ['POST', '/containers/create', 'containers-create'],
    ['POST', '/v1.41/containers/abc123/start', 'containers-start', 'abc123'],
    ['POST', '/containers/my_app.1/restart', 'containers-restart', 'my_app.1'],
    ['POST', '/v1.41/containers/create/start', 'containers-start', 'create'],
    ['POST', '/v1.41/services/create', 'services-create'],
    ['POST', '/v1.41/services/svc1/update?version=3', 'services-update', 'svc1'],
    ['POST', '/v1.41/build?t=x', 'build'],
    ['POST', '/grpc', 'grpc'],
    ['POST', '/session', 'session'],
    ['POST', '/v1.41/containers/c1/attach?stream=1', 'containers-attach', 'c1'],
    ['POST', '/v1.41/exec/e1/start', 'exec-start', 'e1'],
    ['GET', '/v1.41/containers/c1/attach/ws?stream=1', 'containers-attach-ws', 'c1'],
    // percent-encoding is decoded before routing, as Go does
    ['POST', '/v1.41/images%2Fcreate?fromImage=x', 'images-create'],
    ['POST', '/v1.41/%63ontainers/create', 'containers-create'],
    ['POST', '/v1.41/containers/a%2Fb/start', 'containers-start', 'a/b'],
    // not ours to gate: forwarded
    ['GET', '/v1.41/images/create', 'other'],
    ['GET', '/_ping', 'other'],
    ['HEAD', '/_ping', 'other'],
    ['POST', '/v1.41/images/busybox/tag?repo=x', 'other'],
    ['POST', '/v1.41/v1.41/containers/create', 'other'],
    ['POST', '/vx/containers/create', 'other'],
    // gorilla/mux keeps a trailing slash clean, and no route has one: the daemon answers 404
    ['POST', '/v1.41/containers/create/', 'other'],
  ];
  for (const [method, target, endpoint, name] of rows) {
    it(`${method} ${target} → ${endpoint}`, () => {
      const route = classifyRequest(method, target);
      assert.equal(route.endpoint, endpoint);
      assert.equal(route.target, name);
    });
  }

  it('keeps the version and the query', () => {
    const route = classifyRequest('POST', '/v1.41/images/create?fromImage=busybox&tag=1.36');
    assert.equal(route.version, '1.41');
    assert.deepEqual(
      [...route.query],
      [
        ['fromImage', ['busybox']],
        ['tag', ['1.36']],
      ],
    );
  });

  const refused: [string, RegExp][] = [
    ['/v1.41//containers/create', /not clean/],
    ['/v1.41/containers/./create', /not clean/],
    ['/v1.41/x/../containers/create', /not clean/],
    ['/v1.41/containers/a%0Db/start', /control characters/],
    ['/v1.41/containers/a%0Ab/start', /control characters/],
    ['/v1.41/containers/create%', /invalid URL escape/],
    ['/v1.41/containers/create%zz', /invalid URL escape/],
    ['/v1.41/%2e%2e/containers/create', /not clean/],
    ['/v1.41/containers/create#frag', /#/],
    ['http://docker/v1.41/containers/create', /starting with \//],
    ['/v1.41/containers/create?a=1;b=2', /semicolon/],
    ['/v1.41/images/create?fromImage=%zz', /invalid URL escape/],
    ['/v1.41/containers/caf\u00e9/start', /printable ASCII/],
  ];
  for (const [target, message] of refused) {
    it(`refuses ${JSON.stringify(target)}`, () => {
      throwsWithCode(() => classifyRequest('POST', target), 'API_REQUEST_REFUSED', message);
    });
  }
});

describe('cleanPath (Go path.Clean)', () => {
  const rows: [string, string][] = [
    ['', '.'],
    ['/', '/'],
    ['abc', 'abc'],
    ['a//b', 'a/b'],
    ['/a/./b/', '/a/b'],
    ['/../a', '/a'],
    ['a/../..', '..'],
    ['/a/b/../../..', '/'],
  ];
  for (const [input, want] of rows) it(`${JSON.stringify(input)} → ${want}`, () => assert.equal(cleanPath(input), want));
});

describe('parseGoQuery (url.ParseQuery)', () => {
  it('splits on &, decodes + and %XX, keeps repeated values in order, skips empty pairs', () => {
    assert.deepEqual(
      [...parseGoQuery('a=1&&b=x+y%21&a=2&c')],
      [
        ['a', ['1', '2']],
        ['b', ['x y!']],
        ['c', ['']],
      ],
    );
  });
});

describe('imageCreateRequest (postImagesCreate)', () => {
  const pull = (q: string, types: string[] = []) => imageCreateRequest(parseGoQuery(q), types);
  const D = `sha256:${'a'.repeat(64)}`;
  const rows: [string, unknown][] = [
    ['fromImage=busybox&tag=1.36', { domain: 'docker.io', path: 'library/busybox', tag: '1.36' }],
    ['fromImage=127.0.0.1:5000/app:v1', { domain: '127.0.0.1:5000', path: 'app', tag: 'v1' }],
    ['fromImage=127.0.0.1:5000/app:v1&tag=v2', { domain: '127.0.0.1:5000', path: 'app', tag: 'v2' }],
    [`fromImage=127.0.0.1:5000/app&tag=${D}`, { domain: '127.0.0.1:5000', path: 'app', digest: D }],
    [`fromImage=127.0.0.1:5000/app:v1&tag=${D}`, { domain: '127.0.0.1:5000', path: 'app', digest: D }],
    [`fromImage=127.0.0.1:5000/app@${D}&tag=v1`, { domain: '127.0.0.1:5000', path: 'app', tag: 'v1', digest: D }],
    ['fromImage=busybox:', { domain: 'docker.io', path: 'library/busybox' }],
    ['fromImage=busybox', { domain: 'docker.io', path: 'library/busybox' }],
  ];
  for (const [q, reference] of rows) {
    it(q, () => {
      const got = pull(q);
      assert.equal(got.kind, 'pull');
      assert.deepEqual(got.kind === 'pull' && { ...got.reference }, reference);
    });
  }

  it('keeps the platform, and reads no fromImage as an import', () => {
    assert.deepEqual(pull('fromImage=busybox&tag=1&platform=linux%2Farm64').kind === 'pull' && pull('fromImage=busybox&tag=1&platform=linux%2Farm64'), {
      kind: 'pull',
      reference: { domain: 'docker.io', path: 'library/busybox', tag: '1' },
      platform: 'linux/arm64',
    });
    assert.deepEqual(pull('fromSrc=-&repo=local/x&tag=1', ['application/x-tar']), { kind: 'import' });
    assert.deepEqual(pull('fromImage=&fromSrc=-'), { kind: 'import' });
  });

  const refused: [string, string[], RegExp][] = [
    ['fromImage=busybox&fromImage=evil', [], /fromImage more than once/],
    ['fromImage=busybox&tag=1&tag=2', [], /tag more than once/],
    ['fromImage=busybox&tag=1', ['application/x-www-form-urlencoded'], /form body/],
    ['fromImage=busybox&tag=1', ['Application/X-WWW-Form-Urlencoded; charset=utf-8'], /form body/],
    ['fromImage=busybox&tag=1', ['text/plain', 'text/plain'], /more than one Content-Type/],
    ['fromImage=Busybox&tag=1', [], /invalid fromImage/],
    ['fromImage=busybox&tag=a:b', [], /invalid tag/],
    ['fromImage=busybox&tag=sha256:ABC', [], /invalid tag/],
    ['fromImage=busybox&tag=1&platform=linux%2Famd64%C3%A9', [], /printable ASCII/],
  ];
  for (const [q, types, message] of refused) {
    it(`refuses ${q} ${types.join(',')}`, () => {
      throwsWithCode(() => pull(q, types), 'API_REQUEST_REFUSED', message);
    });
  }
});

describe('containerCreateImages and serviceImage (encoding/json field matching)', () => {
  const names = (bytes: Uint8Array) => {
    const { image, imageMounts } = containerCreateImages(bytes);
    return { image: image?.value, imageMounts: imageMounts.map((m) => m.value) };
  };
  it('reads Image and the sources of image mounts', () => {
    assert.deepEqual(
      names(
        body({
          Image: 'r.test/app:1',
          Cmd: ['true'],
          HostConfig: {
            Mounts: [
              { Type: 'bind', Source: '/tmp', Target: '/t' },
              { Type: 'image', Source: 'r.test/data:2', Target: '/d' },
            ],
          },
        }),
      ),
      { image: 'r.test/app:1', imageMounts: ['r.test/data:2'] },
    );
    assert.deepEqual(names(body({ Image: 'x', HostConfig: null })), { image: 'x', imageMounts: [] });
    assert.deepEqual(names(body({ Cmd: ['true'] })), { image: undefined, imageMounts: [] });
    assert.equal(serviceImage(body({ Name: 's', TaskTemplate: { ContainerSpec: { Image: 'r.test/app:1' } } }))?.value, 'r.test/app:1');
    assert.equal(serviceImage(body({ Name: 's' })), undefined);
  });

  it('pins images in place, every other byte kept (numbers past 2^53, spacing, escapes, non-ASCII)', () => {
    const text =
      '{ "Memory": 9007199254740993, "Image" : "r.test/app:1", "Labels": {"é": "\\u00e9"},\n "HostConfig": {"Mounts": [{"Type": "image", "Source": "r.test/d\\u0061ta:2"}]}}';
    const found = containerCreateImages(body(text));
    const pinned = new TextDecoder().decode(
      pinImages(body(text), [
        [found.image!, 'r.test/app@sha256:aa'],
        [found.imageMounts[0]!, 'r.test/data@sha256:bb'],
      ]),
    );
    assert.equal(pinned, text.replace('"r.test/app:1"', '"r.test/app@sha256:aa"').replace('"r.test/d\\u0061ta:2"', '"r.test/data@sha256:bb"'));
    assert.deepEqual(names(body(pinned)), { image: 'r.test/app@sha256:aa', imageMounts: ['r.test/data@sha256:bb'] });
  });

  const refused: [string, string | Uint8Array, RegExp][] = [
    ['a case variant of Image (Go would read it)', '{"image":"r.test/evil"}', /spells Image as "image"/],
    ['Image twice by case', '{"Image":"r.test/app:1","IMAGE":"r.test/evil"}', /sets Image more than once/],
    ['Image twice exactly (Go keeps the last)', '{"Image":"r.test/app:1","Image":"r.test/evil"}', /duplicate/],
    ['a long-s HostConfig (Go folds ſ to S)', '{"Image":"x","Ho\u017ftConfig":{"Mounts":[{"Type":"image","Source":"evil"}]}}', /spells HostConfig/],
    [
      'a long-s Source in an image mount',
      '{"Image":"x","HostConfig":{"Mounts":[{"Type":"image","\u017fource":"evil"}]}}',
      /spells HostConfig.Mounts\[0\].Source/,
    ],
    ['a Kelvin-sign TaskTemplate in a service (Go folds \u212a to K)', '{"Tas\u212aTemplate":{"ContainerSpec":{"Image":"evil"}}}', /spells TaskTemplate as/],
    ['a second JSON value after the first', '{"Image":"r.test/app:1"} {"Image":"r.test/evil"}', /invalid JSON|after/i],
    ['a non-string Image', '{"Image":["r.test/evil"]}', /Image must be a string/],
    ['a body that is not an object', '["r.test/evil"]', /must be a JSON object/],
    ['an empty body', '', /empty/],
    ['a byte order mark', '\ufeff{"Image":"x"}', /invalid JSON|byte order/i],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x49, 0x6d, 0x61, 0x67, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), /UTF-8/],
    ['Mounts that are not an array', '{"Image":"x","HostConfig":{"Mounts":{"Type":"image"}}}', /Mounts must be an array/],
    ['a case-variant service image', '{"TaskTemplate":{"ContainerSpec":{"image":"evil"}}}', /spells TaskTemplate.ContainerSpec.Image/],
  ];
  for (const [name, text, message] of refused) {
    it(`refuses ${name}`, () => {
      const bytes = typeof text === 'string' ? body(text) : text;
      throwsWithCode(() => (name.includes('service') ? serviceImage(bytes) : containerCreateImages(bytes)), 'API_REQUEST_REFUSED', message);
    });
  }

  it(`refuses a body over ${MAX_BODY_BYTES >> 20} MiB with 413, before parsing it`, () => {
    const big = new Uint8Array(MAX_BODY_BYTES + 1).fill(0x20);
    const err = throwsWithCode(() => containerCreateImages(big), 'API_REQUEST_REFUSED', /over 4 MiB/);
    assert.equal((err as { status: number }).status, 413);
  });
});
