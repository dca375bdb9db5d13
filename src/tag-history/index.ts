/** The tag history adapter: what each tag last resolved to with a valid signature, for rollback checks. */
export { TagHistory, MAX_TAGS, parseTags } from './tag-history.ts';
