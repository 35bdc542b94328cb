/** The validator is runtime code now (`ztpfw verify`); tests keep importing it from here. */
export * from '../../cli/verify/schemas';
