// esbuild.mjs loads `.css` imports as text; each bundle adopts its sheet (see `adoptStyles`).
declare module "*.css" {
  const text: string;
  export default text;
}
