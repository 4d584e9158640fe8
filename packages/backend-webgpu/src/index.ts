// Work in progress: see the open issue for this package.
export {};
