/** The untyped internals of miniprogram-simulate and j-component that the preview drives. */
declare module 'miniprogram-simulate/src/utils' {
  const utils: {
    runJs(file: string): unknown;
    readFile(file: string): unknown;
    transformRpx(style: string): string;
  };
  export = utils;
}
declare module 'miniprogram-simulate/src/wxss' {
  const wxss: {
    getContent(file: string): string;
    compile(css: string, options: { prefix?: string }): string;
    insert(css: string | string[], id: string): void;
  };
  export = wxss;
}
declare module 'j-component/src/tool/utils' {
  const utils: { transformRpx(style: string, keepZero?: boolean): string };
  export = utils;
}
declare module 'j-component/src/index' {
  const jComponent: {
    register(definition: Record<string, unknown>): string;
    behavior(definition: Record<string, unknown>): string;
  };
  export = jComponent;
}
declare module 'miniprogram-exparser' {
  const exparser: {
    Event: {
      create(name: string, detail: unknown, options: Record<string, unknown>): unknown;
      dispatchEvent(target: EventTarget | object, event: unknown): void;
    };
    Element: { getMethodCaller(node: object): unknown };
  };
  export = exparser;
}

/** Bundled by esbuild: the one CommonJS require the runtime makes (simulate, after patching its utils). */
declare function require(id: string): unknown;
