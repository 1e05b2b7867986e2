export const id = 563;
export const ids = [563];
export const modules = {

/***/ 3563:
/***/ ((module) => {

module.exports = eval("require")("@node-rs/xxhash");


/***/ })

};
