// tslib: the helpers TypeScript's output calls with `importHelpers` (`tslib_1.__exportStar(...)`),
// written anew for schemac from what each helper does. Decorators and async helpers are left
// out: schema programs do not need them.

export function __assign(target: any, ...sources: any[]) {
  for (const source of sources) {
    for (const key of Object.keys(source ?? {})) {
      target[key] = source[key];
    }
  }
  return target;
}

export function __rest(source: any, excluded: string[]) {
  const out: any = {};
  for (const key of Object.keys(source)) {
    if (!excluded.includes(key)) {
      out[key] = source[key];
    }
  }
  return out;
}

export function __spreadArray(to: any[], from: any[], _pack?: boolean) {
  return [...to, ...from];
}

export function __createBinding(target: any, module: any, key: string, as?: string) {
  Object.defineProperty(target, as ?? key, { enumerable: true, get: () => module[key] });
}

// `export * from './x'`: every key but `default` that the target does not have yet.
export function __exportStar(module: any, target: any) {
  for (const key of Object.keys(module)) {
    if (key !== 'default' && !Object.prototype.hasOwnProperty.call(target, key)) {
      __createBinding(target, module, key);
    }
  }
}

export function __importStar(module: any) {
  if (module && module.__esModule) {
    return module;
  }
  const out: any = {};
  if (module != null) {
    for (const key of Object.keys(module)) {
      if (key !== 'default') {
        __createBinding(out, module, key);
      }
    }
  }
  out.default = module;
  return out;
}

export function __importDefault(module: any) {
  return module && module.__esModule ? module : { default: module };
}

export function __makeTemplateObject(cooked: string[], raw: string[]) {
  Object.defineProperty(cooked, 'raw', { value: raw });
  return cooked;
}
