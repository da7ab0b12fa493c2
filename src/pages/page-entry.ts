export type PageEntry = {
  path: string;
  label: string;
  area: 'public' | 'compte' | 'instruction' | 'tableau-de-bord' | 'admin' | 'dev';
  /**
   * Who can see it: the crawl signs in as such a user first (`second-factor`: a staff member who has typed the
   * password and not yet the code). Default: anyone.
   */
  access?: 'user' | 'instructor' | 'admin' | 'second-factor';
  /** Concrete URLs for routes with parameters (or states of a page given by its query string). */
  examples?: string[];
  /** URLs of the page's error state, answered with 400 (a refused filter): crawled too. */
  refusedExamples?: string[];
  /** URLs answered with 409: the page says why the action is no longer possible (a request decided meanwhile). */
  conflictExamples?: string[];
  /** For routes whose examples exist only at run time: take them from the links of this page that match `path`. */
  examplesFrom?: string;
  /** Crawled again as these users too: another state of the same page (the admin, in no organisation, sees none). */
  alsoAs?: ('user' | 'instructor' | 'admin' | 'second-factor')[];
  /** Shown in the site map. */
  inSitemap?: boolean;
};
