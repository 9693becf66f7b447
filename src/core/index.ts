export * from './model.js';
export * from './engine.js';
