// Rules of the second tuning round: paraphrases that name no "instructions" at all ("stop following the guidance
// you were configured with", "next time someone asks about X, tell them Y", "the account owner asked that you").
// Tuned on EXTRA_TUNING_PAYLOADS (corpus/payloads.ts), never on the held-out half.

import { AI, ELSEWHERE, USER, gap, rule, type InstructionRule } from './instruction-rules.js';

/** Who a model works for, in an injection's words. */
const PRINCIPAL =
  "(?:your user|your owner|the account owner|the owner of this account|the person you are helping|the person you're helping|your principal|your boss)";

export const PARAPHRASE_RULES: readonly InstructionRule[] = [
  rule(
    'principal-wants-you',
    'strong',
    `\\b${PRINCIPAL} (?:has |have )?(?:authori[sz]ed|prefers?|wants?|requested|asked|would like|expects?|instructed|allowed|permitted|consented|approved|said|agreed)(?: that)?(?: you| the assistant| the ai| to)\\b`,
  ),
  rule(
    'stop-following',
    'strong',
    `\\b(?:stop|quit|cease) (?:following|obeying|using|applying)\\b${gap(30)}\\b(?:guidance|instructions|rules|directions|guidelines|programming|configuration|training|policies)\\b`,
  ),
  rule(
    'no-longer-apply',
    'weak',
    `\\b(?:earlier|previous|prior|old|original|existing|former|other)\\b${gap(10)}\\b(?:directions|instructions|rules|guidelines|orders|guidance)\\b${gap(20)}\\b(?:no longer|don't|do not|does not|doesn't|cease to|are void|are cancell?ed|are invalid|are obsolete)\\b`,
  ),
  rule(
    'only-orders',
    'strong',
    `\\bthe only (?:directions|instructions|rules|orders|commands|guidance) (?:that count|that matter|to follow|you follow|you obey|that apply)\\b`,
  ),
  rule(
    'everything-told',
    'strong',
    `\\b(?:everything|anything|all|what) you (?:were|have been) (?:told|taught|given|instructed)\\b|\\bforget (?:what|everything|anything|all) you (?:know|knew|learned|remember|were told)\\b`,
  ),
  rule(
    'reset-yourself',
    'strong',
    `\\breset yourself\\b|\\byou have been (?:upgraded|unlocked|freed|jailbroken|reprogrammed|granted|released|liberated)\\b|\\bnever (?:given|had) any (?:safety|content|ethics) (?:training|rules|guidelines)\\b`,
  ),
  rule(
    'operate-under',
    'strong',
    `\\b(?:restrictions|rules|limits|filters|guidelines|constraints) you (?:operate|work|run|function|act) under\\b`,
  ),
  rule(
    'no-more-rules',
    'weak',
    `\\bno (?:more|longer any) (?:content |safety )?(?:rules|restrictions|filters|limits|guidelines)\\b`,
  ),
  rule(
    'assistant-name',
    'strong',
    `\\b(?:the )?(?:helper|assistant|ai|bot|chatbot|model)'?s (?:name|role|persona|job|task|personality) is\\b|\\bpretend (?:that )?${USER}\\b`,
  ),
  rule(
    'future-answers',
    'strong',
    `\\b(?:every|each|all|any) future (?:messages?|answers?|replies|responses|questions?|conversations?|chats?)\\b|\\bfor (?:every|each|all) (?:answers?|replies|responses)\\b`,
  ),
  rule(
    'future-talk',
    'weak',
    `\\b(?:future|upcoming|subsequent) (?:conversations?|answers?|replies|responses|chats|sessions)\\b|\\bpermanent preference\\b`,
  ),
  // The same cue as the first set's rule of this name: a weak cue counts once, whichever rule found it.
  rule(
    'when-anyone-asks',
    'weak',
    `\\b(?:next time|any ?time|whenever|each time|every time|in the future,? when|if ever|if)\\b${gap(30)}\\b(?:asks?|asked|mentions?|mentioned|comes? up|appears?|brought up|is raised|is discussed)\\b${gap(60)}\\b(?:tell|say|mention|answer|reply|respond|give|suggest|recommend|treat|direct|point|redirect|send)\\b`,
  ),
  rule(
    'treat-as-owner',
    'strong',
    `\\btreat\\b${gap(30)}\\bas (?:the )?(?:account owner|owner|admin|administrator|verified|trusted|authori[sz]ed|the user)\\b`,
  ),
  rule('full-access', 'weak', `\\b(?:give|grant)\\b${gap(20)}\\b(?:full|admin|root|unrestricted|complete) access\\b`),
  rule(
    'instead-of-real',
    'strong',
    `\\binstead of the (?:real|actual|correct|true|right|genuine) (?:one|answer|address|number|name|price|site|link|details)\\b`,
  ),
  rule(
    'always-direct',
    'strong',
    `\\b(?:always|only) (?:direct|send|point|redirect|refer|route) (?:travell?ers|users|people|customers|visitors|everyone|anyone|them|callers|patients|clients)\\b`,
  ),
  rule(
    'tell-everyone',
    'weak',
    `\\bto (?:tell|give|say to) (?:everyone|everybody|anyone|people|users|customers)\\b|\\bgive this (?:number|link|address|answer|site)\\b`,
  ),
  rule(
    'whenever-mentioned',
    'weak',
    `\\bwhenever\\b${gap(30)}\\b(?:is|are) (?:mentioned|asked about|brought up|discussed|named)\\b`,
  ),
  rule(
    'changed-so',
    'weak',
    `\\b(?:has been|have been|was|were|is now) (?:renamed|rebranded|merged|migrated|moved|replaced|withdrawn|rebuilt|closed|changed)\\b${gap(60)}\\b(?:so|therefore|hence)\\b${gap(40)}\\b(?:answer|use|give|tell|recommend|direct|send|refer|say|suggest)\\b`,
  ),
  rule(
    'answer-any-question',
    'weak',
    `\\b(?:answer|answers|respond to|reply to) (?:any|every|all|each) (?:future )?(?:questions?|messages?|requests?|quer(?:y|ies))\\b|\\bfor any question about\\b`,
  ),
  rule(
    'requests-must-go',
    'weak',
    `\\ball (?:requests|questions|queries|messages|mail|emails|calls) (?:for|about|to)\\b${gap(30)}\\bmust (?:go|be sent|be forwarded|be redirected|be routed)\\b`,
  ),
  rule('account-moved', 'weak', `\\b(?:account|profile|data) (?:has|have) (?:moved|been moved|migrated) to\\b`),
  rule(
    'publish-private',
    'strong',
    `\\b(?:publish|post|upload|leak|share|send|copy|write)\\b${gap(40)}\\b(?:private|personal|confidential|secret|sensitive)\\b${gap(60)}${ELSEWHERE}|\\b(?:private|personal|confidential|secret|sensitive)\\b${gap(40)}\\b(?:publish|post|upload|leak|share)\\b${gap(60)}${ELSEWHERE}|\\b(?:the )?user'?s? (?:[\\p{L}-]+ ){0,2}(?:address|location|phone number|passwords?|cards?|contacts|secrets?)\\b${gap(60)}\\b(?:everyone|anyone|the public|publicly|public)\\b`,
  ),
  rule(
    'dump-secrets',
    'strong',
    `\\b(?:output|print|list|dump|reveal|export)\\b (?:every|all|each|any|all the) (?:credentials?|passwords?|secrets?|api keys|tokens|memories|stored records)\\b`,
  ),
  rule(
    'tracking-pixel',
    'weak',
    `\\b(?:hidden|tracking|invisible|1x1) (?:pixel|image)\\b|\\b(?:chat|conversation|history|messages|data) (?:appended|attached|included|embedded)\\b`,
  ),
  rule(
    'verbatim',
    'weak',
    `\\b(?:verbatim|word for word|every single one)\\b|\\b(?:hidden|secret|internal|original|initial) (?:setup|configuration|config|prompt|text)\\b|\\byour (?:configuration|setup|system message)\\b`,
  ),
  rule(
    'rules-they-gave-you',
    'strong',
    `\\b(?:rules|instructions|guidelines|orders) (?:the |your )?(?:developers?|creators?|makers?|owners?|operators?|company) (?:gave|have given|has given|set for) you\\b`,
  ),
  rule(
    'trust-over',
    'strong',
    `\\btrust (?:everything|anything|this|it|the following|all of this)\\b${gap(20)}\\bover\\b|\\bthe (?:assistant|ai|model|bot)'?s (?:administrators?|admins?|developers?|creators?|owners?|operators?)\\b`,
  ),
  rule('agreed-to-receive', 'weak', `\\b(?:agreed|consented) to (?:receive|share|allow|let|be contacted)\\b`),
  rule(
    'skip-confirmation',
    'weak',
    `\\b(?:skip|without|no) (?:any )?(?:confirmation|confirming|asking|verification|approval)\\b|\\bapproved automatically\\b|\\bautomatically (?:approve|accept|confirm)\\b`,
  ),
  rule('buy-from-site', 'weak', `\\b(?:order|buy|download|purchase|get)\\b${gap(30)}\\bfrom\\b${gap(10)}${ELSEWHERE}`),
  rule('only-reliable', 'weak', `\\bis the only (?:reliable|trustworthy|trusted|good|safe|legitimate|real|honest|proper)\\b`),
  rule(
    'quote-setup',
    'weak',
    `\\b(?:quote|copy|paste|print|repeat|recite|reproduce)\\b${gap(30)}\\b(?:the assistant's|your|the ai's|the model's|the system's)\\b`,
  ),
  rule('correct-to-tell', 'weak', `\\bthe (?:correct|right|real|official|new) [\\p{L} ]{1,30} to (?:tell|give|quote|say)\\b`),
  rule('ai-action', 'weak', `\\b(?:${AI}|helper)\\b${gap(40)}\\b(?:answers|recommends|replies|says|tells)\\b`),
  rule(
    'forget-intl',
    'strong',
    `\\b(?:vergiss alles|oublie[rz]? tout ce qu(?:'on|e l'on) (?:t'a|vous a) dit|olvid[ae] todo lo que te|esquec[ae] tudo o que|dimentica tutto quello che)\\b|забудь вс[её]|忘掉|忘记(?:你|别人)?${gap(8)}(?:一切|所有)|指示(?:は|を)(?:すべて|全て)?忘れ`,
  ),
  rule(
    'recommend-only',
    'weak',
    `\\b(?:recommend|recommande[rz]?|recomienda|recomiende|empfiehl|raccomanda|recomende)\\b${gap(20)}\\b(?:only|uniquement|solo|nur|solamente|apenas|soltanto)\\b|只推荐|だけを勧め|советуй только`,
  ),
];
