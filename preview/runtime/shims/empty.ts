/** Stands in for node modules the browser bundle never reaches (fs for postcss source maps). */
export default {};
