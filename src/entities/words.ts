/**
 * Closed word lists that the name rules lean on. All entries are folded (see `fold`) lower case.
 * They describe English news prose, not any one article.
 */

const set = (words: string): ReadonlySet<string> => new Set(words.trim().split(/\s+/));

/**
 * Words that name a position and, written just before a name, introduce it:
 * "President Vladimir Putin", "leader Kim Jong Un", "senator Marta Ramírez".
 */
export const TITLE_HEADS = set(`
  president vice-president leader minister premier chancellor secretary secretary-general undersecretary
  spokesman spokeswoman spokesperson ambassador envoy senator governor mayor king queen prince princess
  emperor empress pope sheikh emir sultan ayatollah chairman chairwoman chairperson ceo executive director
  commander admiral colonel lieutenant captain sergeant marshal general representative congressman
  congresswoman lawmaker legislator judge prosecutor attorney lawyer analyst professor dr mr mrs ms mx sir
  dame diplomat negotiator adviser advisor economist researcher scientist expert official officer founder
  co-founder owner chief boss dictator strongman counterpart deputy commissioner councillor councilor mp
  mep treasurer rapporteur activist journalist reporter correspondent editor historian candidate nominee
  opponent rival successor predecessor ruler monarch tsar czar patriarch archbishop bishop cardinal imam
  rabbi reverend gen col lt sgt capt cmdr adm maj gov sen rep pres prof
`);

/**
 * Heads that say how a person relates to someone else rather than what office they hold; a role built
 * on one is kept only when the article gives no better one.
 */
export const WEAK_HEADS = set(`counterpart rival opponent successor predecessor mr mrs ms mx sir dame dr`);

/**
 * Modifiers that may stand, in lower case, inside a role before its head: "former U.S. President",
 * "opposition senator", "chief executive".
 */
export const ROLE_MODIFIERS = set(`
  former then acting interim deputy vice late outgoing incoming current longtime veteran senior top chief
  defense defence foreign prime supreme state national security finance economy economic trade interior
  energy health education justice executive military party opposition assistant associate managing
  founding elected ruling communist permanent special foreign-policy intelligence army navy
  air force police nuclear first
`);

/** Lower-case words that may join the capitalised words of one name: "Ursula von der Leyen". */
export const NAME_PARTICLES = set(`de da del della der den di du dos das van von bin ibn al el la le ter y`);

/**
 * Words that open sentences and are capitalised only for that reason. A sentence's first word is
 * also dropped when the same article uses it in lower case elsewhere.
 */
export const STOPWORDS = set(`
  a an the this that these those there here it its he she his her him they them their we our you your i
  in on at for from to by with without of and or but nor so yet if as while when where why how what who
  whom whose which after before since until although though because however meanwhile still moreover
  furthermore ultimately also then thus therefore instead indeed nevertheless nonetheless besides
  overall finally first second third last next now today yesterday tomorrow earlier later recently some
  many most more much few several both each every all any such no not one two three four five other
  another either neither despite during amid among between under over into onto about against around
  through across beyond within toward towards according asked given unlike like near once whether yes
  officials critics experts analysts observers sources diplomats residents citizens people government
  is are was were be been being has have had do does did will would can could may might must shall should
  mr mrs ms dr
`);

export const MONTHS_AND_DAYS = set(`
  january february march april may june july august september october november december
  jan feb mar apr jun jul aug sep sept oct nov dec
  monday tuesday wednesday thursday friday saturday sunday
`);

/** A capitalised run holding one of these names a body: "Nordvik Industries", "Chilean Senate". */
export const ORG_WORDS = set(`
  agency ministry department council commission committee bank fund corporation corp inc ltd llc plc asa ag
  gmbh company co group holdings industries minerals mining motors airlines airways party union
  organization organisation institute university college academy association alliance federation
  forces army navy guard court parliament congress senate assembly office bureau service authority board
  foundation society times post news press network systems technologies labs partners capital media
  broadcasting telegraph herald tribune journal daily front movement coalition cartel consortium
  petroleum oil gas steel electric electronics pharmaceuticals energy
`);

/** A capitalised run holding one of these names an event or a period, not a person or a body. */
export const EVENT_WORDS = set(`
  war wars revolution olympics olympic games cup summit conference treaty accord accords agreement
  protocol act day prize award festival expo crisis pact initiative forum era age campaign operation
  plan doctrine declaration convention election elections
`);

/** A capitalised run holding one of these names a place the gazetteer does not know. */
export const GEO_WORDS = set(`
  sea ocean peninsula strait gulf bay river lake island islands mountains mountain valley desert
  province region city county district street avenue square airport port canal
`);

/** Verbs that, right after a name, say a person spoke: evidence that an unfamiliar run is a person. */
export const SPEECH_VERBS = set(`
  said says told added wrote stated noted argued warned announced insisted explained claimed declared
  asked replied recalled acknowledged admitted confirmed denied stressed urged
`);

/** All-capital words that are not bodies. */
export const NOT_ACRONYM_ORGS = set(`
  ceo cfo coo cto gdp ai tv pm mp ok ii iii iv vi vii viii ix xi xii covid hiv aids dna lng ev evs icbm
  icbms usd eur km kg am pm ad bc ps fyi faq i a
`);

/**
 * Whether a token key is a title head, hyphenated forms included: keys write hyphens as spaces, so
 * "secretary-general" arrives as "secretary general" and "ex-president" as "ex president".
 */
export function isTitleHead(key: string): boolean {
  if (TITLE_HEADS.has(key)) return true;
  if (!key.includes(' ')) return false;
  const hyphenated = key.replace(/ /g, '-');
  if (TITLE_HEADS.has(hyphenated)) return true;
  const last = hyphenated.slice(hyphenated.lastIndexOf('-') + 1);
  return TITLE_HEADS.has(last) && /^(ex|then|vice|co|deputy)-/.test(hyphenated);
}

/** Regnal numbers that end a name: "Elizabeth II". */
export const REGNAL_NUMBERS = set(`ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi`);
