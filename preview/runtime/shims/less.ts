/** miniprogram-simulate compiles LESS only when asked (`options.less`); the preview never asks. */
export function render(): never {
  throw new Error('LESS is not supported in the preview');
}
export default { render };
