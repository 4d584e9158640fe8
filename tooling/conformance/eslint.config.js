export { default } from '@nutshell/eslint-config';
