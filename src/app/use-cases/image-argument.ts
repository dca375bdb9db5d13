import { parseReference, withDefaultTag, type Reference } from '../../reference/index.ts';

/** An IMAGE[:TAG|@DIGEST] command argument, with docker's default tag `latest` when neither is given. */
export function parseImageArgument(image: string): Reference {
  return withDefaultTag(parseReference(image));
}
