// express@4 is installed under the alias "express4" for the compatibility test.
declare module 'express4' {
  import express from 'express';
  export default express;
}

// passport@0.5 is installed under the alias "passport05" for the session-regeneration test.
declare module 'passport05' {
  import passport from 'passport';
  export default passport;
}
