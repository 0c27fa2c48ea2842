// esbuild bundles these files as strings (loader "text"), see esbuild.mjs.
declare module '*.md' {
  const text: string;
  export default text;
}
