import { runRendererBench } from './renderer';
console.table(await runRendererBench());
