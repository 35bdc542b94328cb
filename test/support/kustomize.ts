/** The kustomize runner is runtime code now (`ztpfw verify`); tests keep importing it from here. */
export { kubectlPath, kustomizeBuild } from '../../cli/verify/kustomize';
