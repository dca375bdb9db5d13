import metadata from '../../plugin-metadata.json' with { type: 'json' };

/** The docker CLI plugin metadata (plugin-metadata.json), answered to `docker-cli-plugin-metadata`. */
export const PLUGIN_METADATA: Readonly<typeof metadata> = metadata;

/** The plugin's version (plugin-metadata.json Version, kept equal to package.json's by a test). */
export const VERSION: string = metadata.Version;

/** The executable's file name; docker finds plugins as docker-<name>. */
export const BINARY_NAME = 'docker-trustext';

/** The User-Agent trustext sends to engines and registries. */
export const USER_AGENT = `trustext/${metadata.Version}`;
