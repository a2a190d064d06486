// nn.Module: MLX's Module (mlx/nn/layers/base.py) with node-mlx's JS conventions. A module's
// parameters and submodules are its own properties (arrays, modules, and JS arrays / plain
// objects of them); `forward` is the call; names in weight files are snake_case
// (`some_weight` loads into `someWeight`).
import * as mx from '@mlx-ts/core';
import {
  DICT_LIKE,
  type NestedDict,
  isDict,
  toCamelCase,
  toSnakeCase,
  treeFlatten,
  treeUnflatten,
} from '../../utils.js';

export type FilterFn = (m: Module, key: string, value: unknown) => boolean;

/** A short description of a value's type for error messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof mx.MxArray) return 'array';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** A number the way the layers' `toString` show it: `1e-5`, `0.1`, `2`. */
export function fmt(v: unknown): string {
  if (typeof v === 'number' && v !== 0 && Math.abs(v) < 1e-3) return v.toExponential();
  if (Array.isArray(v)) return v.map(fmt).join(',');
  return String(v);
}

function hasOwn(o: unknown, k: string | number): boolean {
  return o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k);
}

/**
 * Base class of every layer and model. Subclasses set their parameters and submodules as
 * properties in the constructor and implement `forward`.
 *
 * ```ts
 * class MLP extends nn.Module {
 *   inProj = new nn.Linear(2, 16);
 *   outProj = new nn.Linear(16, 1);
 *   forward(x: mx.array) { return this.outProj.forward(nn.relu(this.inProj.forward(x))); }
 * }
 * ```
 */
export abstract class Module {
  #noGrad = new Set<string>();
  #training = true;

  // Modules hold arbitrary attributes, as Python objects do.
  [key: string]: any;

  static isModule(value: unknown): value is Module {
    return value instanceof Module;
  }

  static validChildFilter(_m: Module, _k: string, v: unknown): boolean {
    return Array.isArray(v) || isDict(v);
  }

  static validParameterFilter(_m: Module, k: string, v: unknown): boolean {
    return (Array.isArray(v) || isDict(v) || v instanceof mx.MxArray) && !String(k).startsWith('_');
  }

  static trainableParameterFilter(m: Module, k: string, v: unknown): boolean {
    return Module.validParameterFilter(m, k, v) && !m.#noGrad.has(k);
  }

  /** The computation of the module. */
  abstract forward(...inputs: any[]): any;

  /** Whether the module is in training mode (Dropout, BatchNorm read it). */
  get training(): boolean {
    return this.#training;
  }

  /** The module's attributes, by reference (node-mlx: the module itself). */
  get state(): this {
    return this;
  }

  /** The module's own attributes as `[name, value]` pairs, as a Python Module's `items()`. */
  items(): [string, unknown][] {
    return Object.keys(this)
      .filter((k) => typeof this[k] !== 'function' || Module.isModule(this[k]))
      .map((k) => [k, this[k]]);
  }

  /** What `toString` shows between the parentheses (overridden by the layers). */
  protected toStringExtra(): string {
    return '';
  }

  toString(): string {
    const children = treeFlatten(this.children(), '', Module.isModule);
    let s = `${this.constructor.name}(${this.toStringExtra()}`;
    for (const [k, v] of children) s += `\n  ${k}: ${String(v).replace(/\n/g, '\n  ')}`;
    if (children.length) s += '\n';
    return `${s})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /**
   * Recursively keeps the contents for which `filterFn(module, key, value)` holds, mapping
   * leaves with `mapFn`. `isLeafFn` says what is a leaf (default: anything that is not a
   * Module, list or object).
   */
  filterAndMap(
    filterFn: FilterFn,
    mapFn: (x: any) => unknown = (x) => x,
    isLeafFn: FilterFn = (_m, _k, v) => !(Module.isModule(v) || Array.isArray(v) || isDict(v)),
  ): NestedDict<any> {
    const out: NestedDict<any> = {};
    for (const [k, v] of this.items()) if (filterFn(this, k, v)) out[k] = unwrap(this, k, v, filterFn, mapFn, isLeafFn) as never;
    return out;
  }

  /** Every array of the module and its submodules, as nested objects and lists. */
  parameters(): NestedDict<mx.array> {
    return this.filterAndMap(Module.validParameterFilter) as NestedDict<mx.array>;
  }

  /** The parameters that are not frozen. */
  trainableParameters(): NestedDict<mx.array> {
    return this.filterAndMap(Module.trainableParameterFilter) as NestedDict<mx.array>;
  }

  /** The direct submodules (in their lists and objects). */
  children(): NestedDict<Module> {
    return this.filterAndMap(Module.validChildFilter, undefined, (_m, _k, v) => Module.isModule(v)) as NestedDict<Module>;
  }

  /** The submodules that have no submodules themselves. */
  leafModules(): NestedDict<Module> {
    return this.filterAndMap(
      Module.validChildFilter,
      undefined,
      (_m, _k, v) => Module.isModule(v) && treeFlatten(v.children(), '', Module.isModule).length === 0,
    ) as NestedDict<Module>;
  }

  /**
   * Replaces the parameters at the places `parameters` gives (a complete or partial tree like
   * `parameters()`'s). Strict (the default, as MLX): a key the module lacks, a list index out
   * of range or a non-array where an array is throws.
   */
  update(parameters: NestedDict<mx.array> | Record<string, unknown>, strict = true): this {
    const apply = (dst: any, params: unknown, path: string) => {
      const at = (k: string | number) => (path ? `${path}.${k}` : `${k}`);
      if (isDict(params)) {
        for (const [k, nv] of Object.entries(params)) {
          if (hasOwn(dst, k)) {
            const cur = dst[k];
            if (cur instanceof mx.MxArray) {
              if (strict && !(nv instanceof mx.MxArray)) throw new Error(`Received invalid type: ${typeName(nv)} for parameter "${at(k)}".`);
              dst[k] = nv;
            } else apply(cur, nv, at(k));
          } else if (strict) throw new Error(`Module does not have parameter named "${at(k)}".`);
        }
      } else if (Array.isArray(params)) {
        params.forEach((nv, i) => {
          if (!Array.isArray(dst) || i >= dst.length) {
            if (strict) throw new Error(`List index ${i} is out of bounds for destination of length ${Array.isArray(dst) ? dst.length : 0} at "${path}".`);
            return;
          }
          const cur = dst[i];
          if (cur instanceof mx.MxArray) {
            if (strict && !(nv instanceof mx.MxArray)) throw new Error(`Received invalid type: ${typeName(nv)} for parameter "${at(i)}".`);
            dst[i] = nv;
          } else apply(cur, nv, at(i));
        });
      } else if (strict) throw new Error(`Received invalid type: ${typeName(params)}${path ? ` at "${path}"` : ''}.`);
    };
    apply(this, parameters, '');
    return this;
  }

  /**
   * Maps the parameters selected by `filterFn` (default: all) with `mapFn` and updates the
   * module with the results: `model.apply((p) => p.astype(mx.float16))`.
   */
  apply(mapFn: (x: mx.array) => mx.array, filterFn: FilterFn = Module.validParameterFilter): this {
    return this.update(this.filterAndMap(filterFn, mapFn as (x: any) => unknown) as NestedDict<mx.array>);
  }

  /** `update` for submodules: swaps the modules at the places `modules` gives. */
  updateModules(modules: NestedDict<Module> | Record<string, unknown>, strict = true): this {
    const apply = (dst: any, mods: unknown, path: string) => {
      const at = (k: string | number) => (path ? `${path}.${k}` : `${k}`);
      const set = (k: string | number, nv: unknown) => {
        const cur = dst[k];
        if (Module.isModule(cur) && Module.isModule(nv)) dst[k] = nv;
        else if (Module.isModule(cur) || Array.isArray(cur) || isDict(cur)) {
          if (Module.isModule(cur) && strict && !(isDict(nv) || Array.isArray(nv))) throw new Error(`Received invalid type: ${typeName(nv)} for module "${at(k)}".`);
          apply(cur, nv, at(k));
        } else if (strict && Module.isModule(nv)) throw new Error(`Received a module for "${at(k)}", which is not a module.`);
      };
      if (isDict(mods)) {
        for (const [k, nv] of Object.entries(mods)) {
          if (hasOwn(dst, k)) set(k, nv);
          else if (strict) throw new Error(`Module does not have sub-module named "${at(k)}".`);
        }
      } else if (Array.isArray(mods)) {
        mods.forEach((nv, i) => {
          if (!Array.isArray(dst) || i >= dst.length) {
            if (strict) throw new Error(`List index ${i} is out of bounds for destination of length ${Array.isArray(dst) ? dst.length : 0} at "${path}".`);
            return;
          }
          set(i, nv);
        });
      } else if (strict) throw new Error(`Received invalid type: ${typeName(mods)}${path ? ` at "${path}"` : ''}.`);
    };
    apply(this, modules, '');
    return this;
  }

  /** Calls `applyFn(path, module)` on this module and every submodule. */
  applyToModules(applyFn: (prefix: string, m: Module) => unknown): this {
    const stack: [string, Module][] = [['', this]];
    while (stack.length) {
      const [prefix, m] = stack.pop()!;
      applyFn(prefix, m);
      stack.push(...(treeFlatten(m.children(), prefix, Module.isModule) as [string, Module][]));
    }
    return this;
  }

  /** This module and all its submodules. */
  modules(): Module[] {
    const out: Module[] = [];
    this.applyToModules((_, m) => out.push(m));
    return out;
  }

  /** This module (path `''`) and all its submodules with their dotted paths. */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    this.applyToModules((k, m) => out.push([k, m]));
    return out;
  }

  #validKeys(keys: string | string[], strict: boolean): string[] {
    const ks = typeof keys === 'string' ? [keys] : keys;
    if (strict) for (const k of ks) if (!hasOwn(this, k)) throw new Error(`Module doesn't contain member ${k}.`);
    return ks;
  }

  /**
   * Freezes parameters (no gradients for them in `nn.valueAndGrad`, absent from
   * `trainableParameters`): all of them, or those named by `keys` (`model.freeze(true, 'bias')`),
   * in the submodules too when `recurse`. `strict` checks that the keys exist.
   */
  freeze(recurse = true, keys?: string | string[] | null, strict = false): this {
    const impl = (_: string, m: Module) => {
      let ks = keys;
      if (ks == null) {
        const params = m.filterAndMap((mm, k, v) => !Module.isModule(v) && Module.validParameterFilter(mm, k, v));
        ks = treeFlatten(params).map(([k]) => k);
      }
      for (const k of m.#validKeys(ks, strict)) m.#noGrad.add(k);
    };
    if (recurse) this.applyToModules(impl);
    else impl('', this);
    return this;
  }

  /** Undoes `freeze` for all parameters or those named by `keys`. */
  unfreeze(recurse = true, keys?: string | string[] | null, strict = false): this {
    const impl = (_: string, m: Module) => {
      if (keys == null) m.#noGrad.clear();
      else for (const k of m.#validKeys(keys, strict)) m.#noGrad.delete(k);
    };
    if (recurse) this.applyToModules(impl);
    else impl('', this);
    return this;
  }

  /** Sets training mode (default) or evaluation mode on this module and its submodules. */
  train(mode = true): this {
    return this.applyToModules((_, m) => m.setTrainingMode(mode));
  }

  /** Sets this module's mode alone (a layer whose state depends on it overrides this, as QQLinear). */
  protected setTrainingMode(mode: boolean): void {
    this.#training = mode;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Casts the parameters whose dtype `predicate` accepts (default: floating ones; null: all)
   * to `dtype`.
   */
  setDtype(dtype: mx.Dtype, predicate: ((d: mx.Dtype) => boolean) | null = (d) => mx.issubdtype(d, mx.floating)): this {
    return this.apply((x) => (!predicate || predicate(x.dtype) ? x.astype(dtype) : x));
  }

  /**
   * Loads weights from a `.safetensors` or `.npz` file or `[name, array]` pairs (names
   * snake_case, dotted: `'layers.0.weight'`). Strict (the default): the names must be exactly
   * the module's parameters, each an array of the parameter's shape; otherwise it throws,
   * naming the extra, missing or mis-shaped ones. Not strict: loads what matches.
   */
  loadWeights(fileOrWeights: string | [string, mx.array][], strict = true): this {
    let weights: [string, unknown][];
    if (typeof fileOrWeights === 'string') {
      const loaded = mx.load(fileOrWeights) as unknown;
      if (loaded instanceof mx.MxArray) throw new Error(`[loadWeights] ${fileOrWeights} holds one array, not named weights: use a .safetensors or .npz file.`);
      weights = Object.entries(loaded as Record<string, mx.array>);
    } else weights = fileOrWeights;
    if (strict) {
      const given = new Map(weights);
      const current = new Map(treeFlatten(this.parameters(), '', null, toSnakeCase) as [string, mx.array][]);
      const extras = [...given.keys()].filter((k) => !current.has(k)).sort();
      if (extras.length) throw new Error(`Received ${extras.length} parameters not in model: \n${extras.join(',\n')}.`);
      const missing = [...current.keys()].filter((k) => !given.has(k)).sort();
      if (missing.length) throw new Error(`Missing ${missing.length} parameters: \n${missing.join(',\n')}.`);
      for (const [k, v] of current) {
        const nv = given.get(k);
        if (!(nv instanceof mx.MxArray)) throw new Error(`Expected mx.array but received ${typeName(nv)} for parameter ${k}`);
        if (nv.shape.length !== v.shape.length || nv.shape.some((d, i) => d !== v.shape[i])) {
          throw new Error(`Expected shape [${v.shape}] but received shape [${nv.shape}] for parameter ${k}`);
        }
      }
    }
    if (weights.length) this.update(treeUnflatten(weights, toCamelCase), false);
    return this;
  }

  /** Saves the parameters to a `.safetensors` or `.npz` file (names snake_case, dotted). */
  saveWeights(file: string): void {
    const params = Object.fromEntries(treeFlatten(this.parameters(), '', null, toSnakeCase)) as Record<string, mx.array>;
    if (file.endsWith('.npz')) mx.savez(file, params);
    else if (file.endsWith('.safetensors')) mx.saveSafetensors(file, params);
    else throw new Error(`Unsupported file extension for ${file}. Use '.npz' or '.safetensors'.`);
  }
}
Object.defineProperty(Module.prototype, DICT_LIKE, { value: true });

function unwrap(m: Module, key: string, value: unknown, filterFn: FilterFn, mapFn: (x: any) => unknown, isLeafFn: FilterFn): unknown {
  if (isLeafFn(m, key, value)) return mapFn(value);
  if (Module.isModule(value)) return value.filterAndMap(filterFn, mapFn, isLeafFn);
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      const k = `${key}.${i}`;
      return filterFn(m, k, v) ? unwrap(m, k, v, filterFn, mapFn, isLeafFn) : {};
    });
  }
  if (isDict(value)) {
    const out: Record<string, unknown> = {};
    for (const [kk, v] of Object.entries(value)) {
      const k = `${key}.${kk}`;
      out[kk] = filterFn(m, k, v) ? unwrap(m, k, v, filterFn, mapFn, isLeafFn) : {};
    }
    return out;
  }
  throw new Error('Unexpected leaf found while traversing the module');
}
