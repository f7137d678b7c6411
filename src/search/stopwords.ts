/** English function words: they carry no topic, so they are neither indexed nor searched. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being
  below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
  during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
  here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
  let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves
  out over own us same shan't she she'd she'll she's should shouldn't so some such than that that's the their
  theirs them themselves then there there's these they they'd they'll they're they've this those through
  to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's
  where where's which while who who's whom why why's will with won't would wouldn't you you'd you'll
  you're you've your yours yourself yourselves also just may might must shall whether yet via per upon
  among amongst within without toward towards onto whose whereas together even ever much many really
  already almost quite rather else otherwise thus hence therefore anyway somehow s t d ll re ve`.split(/\s+/),
);

/**
 * Words that frame a question about the text rather than name its topic ("what does the article
 * say about juche?"). Dropped from questions only; the article's own use of them stays indexed.
 */
export const QUESTION_FRAME_WORDS: ReadonlySet<string> = new Set(
  `article text story piece passage paragraph author writer say says said saying tell tells told explain
  explains describe describes mention mentions mentioned according know known think please me anything
  something thing things kind sort type happen happens happened happening`.split(/\s+/),
);
