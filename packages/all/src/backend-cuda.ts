// The cuda backend plugin; importing this module registers it.
export * from '@nutshell/backend-cuda';
