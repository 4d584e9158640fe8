// Placeholder until the first entry lands.
export {};
