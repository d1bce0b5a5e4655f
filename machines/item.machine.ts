// The item machine's old module path, kept so that code written before item@2 still finds item@1's
// names; new code imports machines/item.v1.machine.ts or machines/item.v2.machine.ts. Pure.
export * from './item.v1.machine.ts';
