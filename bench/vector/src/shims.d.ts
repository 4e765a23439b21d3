// Modules the packages do not type.
declare module 'voy-search/voy_search_bg.js';
declare module 'fake-indexeddb/auto';
