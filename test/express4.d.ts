// express@4 is installed under the alias "express4" for the compatibility test.
declare module 'express4' {
  import express from 'express';
  export default express;
}
