// The phrasing of prompt injection and memory injection, as rules over a normalised text (normalise.ts).
// A strong rule flags a text alone; a weak one (phrasing a personal note may use innocently: "don't tell
// anyone", "use X instead") needs a second, different rule. Each rule names the attack it stands for.

export interface InstructionRule {
  name: string;
  strength: 'strong' | 'weak';
  pattern: RegExp;
}

// Within one sentence: a gap of up to n characters that crosses no sentence end.
export const gap = (n: number) => `[^.!?。！？\\n]{0,${n}}`;
export const rule = (name: string, strength: 'strong' | 'weak', source: string): InstructionRule => ({
  name,
  strength,
  pattern: new RegExp(source, 'u'),
});

/** Names of the model; "model", "agent" and "bot" are left out where a car model or an estate agent fits too. */
export const AI = '(?:assistant|ai|a\\.i\\.|ai assistant|chatbot|llm|language model|gpt|chatgpt|claude|copilot|gemini)';
export const USER = '(?:the user|users|a user|any user|every user|the human)';
const PRIOR =
  '(?:previous|prior|above|earlier|preceding|former|original|initial|old|existing|system|given|all|any|every|your|safety|these|those|the)';
const ORDERS =
  '(?:instructions?|prompts?|rules|directions|directives|guidelines|guidance|commands?|constraints|restrictions|programming|guardrails|polic(?:y|ies)|orders|system prompt|context|messages|configuration|training)';
const SECRETS =
  "(?:conversations?|chats?|chat (?:history|logs?)|history|transcripts?|memories|memory|messages|passwords?|credentials|api keys?|keys|tokens|secrets|personal (?:data|info|information|details)|contacts|credit card(?: numbers?)?|card numbers?|ssn|social security(?: numbers?)?|bank (?:details|account(?: details)?)|(?:the )?user'?s? (?:data|info|information|details|emails?|address|messages|history|files|contacts|location|passwords?|notes|records))";
export const ELSEWHERE =
  '(?:https?://|www\\.|\\S+@\\S+\\.[a-z]{2,}|\\b(?:url|endpoint|server|webhook|domain|pastebin|telegram|discord)\\b|\\b(?:[a-z0-9-]+\\.)+(?:com|net|org|io|ru|xyz|site|top|info|biz|cc|me|ly|sh|app|dev|tk|cn)\\b)';

export const INSTRUCTION_RULES: readonly InstructionRule[] = [
  // Overriding what the model was told.
  rule(
    'override',
    'strong',
    `\\b(?:ignore|ignoring|disregard|forget|skip|override|bypass|abandon|neglect|set aside|throw out|dismiss|discard|drop)\\b${gap(40)}\\b${PRIOR}\\b${gap(30)}\\b${ORDERS}\\b`,
  ),
  rule(
    'ignore-above',
    'strong',
    `\\b(?:ignore|disregard|forget)\\b (?:all |everything |anything |whatever )?(?:above|said above|written above|before this|that came before|you were told|you've been told|you have been told|you were given|you have been given|previously (?:said|stated|written))\\b`,
  ),
  rule('override-user', 'strong', `\\b(?:ignore|disregard|override)\\b${gap(15)}\\b(?:${USER}|what the user)\\b`),
  rule(
    'forget-everything',
    'strong',
    `\\bforget (?:everything|all)(?: (?:you|that you)(?: were| have been)? (?:told|know|learned|said))\\b`,
  ),
  rule(
    'new-instructions',
    'strong',
    `\\b(?:new|updated|real|actual|true|hidden|secret|revised|override|priority) (?:system )?(?:instructions?|directives?|system prompt)\\b${gap(10)}(?::|take (?:priority|precedence)|supersede|override|replace)`,
  ),
  rule(
    'follow-instructions',
    'weak',
    `\\b(?:follow|obey|execute|carry out|comply with)\\b${gap(20)}\\b(?:these|the following|new|hidden|embedded|below|those|my|his|her|their)\\b${gap(10)}\\b(?:instructions?|commands?|orders|directives|steps)\\b`,
  ),
  // Giving the model a new identity.
  rule(
    'you-are-now',
    'strong',
    `\\byou are (?:now|henceforth|from now on|no longer)\\b (?:an?|in|the|my|called|named|free|unrestricted|allowed|able|operating|going|jailbroken|dan|no|not|bound|a different|evil|unfiltered|required|obliged|authori[sz]ed|my)\\b`,
  ),
  rule(
    'from-now-on',
    'strong',
    `\\b(?:from now on|from this point(?: on| forward)?|henceforth|going forward)\\b,?${gap(8)}\\b(?:you|the assistant|assistant|ai|your (?:answers|responses|replies))\\b`,
  ),
  rule(
    'you-are-free',
    'strong',
    `\\byou are (?:now )?(?:free|freed|released|liberated|unbound|unshackled)\\b(?: (?:from|of)\\b)?`,
  ),
  rule(
    'limits-lifted',
    'weak',
    `\\b(?:restrictions|rules|filters|guidelines|limits|limitations|safeguards|policies) (?:have been|are|were|are now) (?:lifted|removed|disabled|suspended|turned off|void|revoked)\\b`,
  ),
  rule(
    'assume-role',
    'weak',
    `\\b(?:assume|take on|adopt|switch to|enter|play) (?:the )?(?:role|persona|identity|character) of\\b|\\byou will (?:now )?(?:act|behave|respond|roleplay|pretend|obey|comply)\\b`,
  ),
  rule(
    'your-only-task',
    'strong',
    `\\byour (?:only|sole|main|primary|real|true|actual|new|first) (?:task|job|goal|purpose|objective|instruction|rule|priority|mission) (?:is|now|from now)\\b`,
  ),
  rule(
    'on-trigger',
    'strong',
    `\\b(?:when|whenever|if|once) you (?:see|read|encounter|receive|get|hear|detect)\\b${gap(40)}\\b(?:word|phrase|code word|keyword|signal|trigger|token|password)\\b`,
  ),
  rule('trigger-word', 'weak', `\\b(?:trigger|code|magic|secret) (?:word|phrase)\\b`),
  rule('pretend', 'strong', `\\bpretend (?:that )?(?:you are|you're)\\b`),
  rule('pretend-to-be', 'weak', `\\b(?:pretend to be|imagine (?:that )?you are|imagine you're)\\b`),
  rule(
    'act-as',
    'weak',
    `\\b(?:act|behave|respond|operate|roleplay|role-play) as (?:if you were |though you were )?(?:an? |the )?(?:unfiltered|unrestricted|jailbroken|evil|different|new|uncensored|developer|system|admin|root)\\b`,
  ),
  rule(
    'your-new',
    'strong',
    `\\byour (?:new|real|true|updated|actual) (?:role|name|persona|personality|identity|instructions?|task|goal|objective|purpose|rules?|directive|mission|owner|master)\\b`,
  ),
  rule('mode', 'strong', `\\b(?:god|jailbreak|dan|sudo|unrestricted|evil|unfiltered) mode\\b`),
  rule('mode-weak', 'weak', `\\b(?:developer|admin|debug|maintenance|root) mode\\b`),
  rule(
    'jailbreak',
    'weak',
    `\\b(?:jailbreak|jailbroken|do anything now|no (?:restrictions|filters|limits|guidelines|censorship)|unfiltered|uncensored|without (?:any )?(?:restrictions|filters|limitations|censorship))\\b`,
  ),
  rule(
    'disable-safety',
    'strong',
    `\\b(?:disable|turn off|deactivate|remove|bypass|circumvent|ignore|lift)\\b (?:your|all|any|its|the ai's|the model's) (?:safety |content |security |ethical |moderation )?(?:filters?|guardrails|safeguards|moderation|restrictions|safety (?:rules|checks|features|guidelines|policies))\\b`,
  ),
  // Chat-template and role tags, at a line start or in their markup.
  // A label line ("System: Dyson V11") is a note; a label followed by orders to a model is a forged turn.
  rule(
    'role-tag',
    'strong',
    `(?:^|\\n)\\s*(?:[#>*-]+\\s*)?[\\[<{(]?\\s*(?:system|developer|assistant|sys)\\s*[\\]>})]?\\s*:${gap(60)}\\b(?:you|your|ignore|disregard|forget|the user|user|new|always|never|do not|don't|reveal|send|forward|must|from now|sure|i will|i'll|instructions?|override)\\b`,
  ),
  rule(
    'role-label',
    'weak',
    `(?:^|\\n)\\s*(?:[#>*-]+\\s*)?[\\[<{(]?\\s*(?:system|developer|assistant|sys|override|admin|root|sudo)\\s*[\\]>})]?\\s*:`,
  ),
  rule(
    'chat-markup',
    'strong',
    `<\\|?\\s*(?:im_start|im_end|system|user|assistant|endoftext|begin_of_text|start_header_id|end_header_id|eot_id)\\s*\\|?>|\\[/?(?:inst|sys|system)\\]|<</?sys>>|</?(?:system|instructions?|admin|tool_call|function_call|tool_use|assistant|sys)>|#{2,}\\s*(?:system|instructions?|new instructions?|assistant)\\b`,
  ),
  rule(
    'fake-turn',
    'strong',
    `\\b(?:assistant|ai|chatbot|system|bot)\\s*:\\s*(?:sure|ok|okay|understood|i will|i'll|as you wish|yes|of course|certainly|done)\\b`,
  ),
  // Addressing the model directly.
  rule(
    'note-to-ai',
    'strong',
    `\\b(?:note|message|instructions?|attention|reminder|memo|notice|important|warning|directive|ps|p\\.s\\.)\\b${gap(4)}\\b(?:to|for)\\b (?:the |any |all |our |my )?${AI}s?\\b`,
  ),
  rule(
    'hey-ai',
    'strong',
    `(?:^|[.!?\\n]\\s*|\\b(?:hey|dear|attention|hi|hello|ok|okay),? )${AI},? (?:you|please|always|never|ignore|from now|remember|do not|don't|must|should|listen|note|when|whenever|if|append|add|send|forward|store|save|include|tell|say|reply|respond|answer|summari[sz]e|mark|rate|recommend)\\b`,
  ),
  rule(
    'ai-colon',
    'strong',
    `\\b(?:hey|dear|attention|hi|hello|note|memo|ps|p\\.s\\.|reminder|instructions?|important),? (?:to |for )?(?:the |all |any )?${AI}s?\\s*:`,
  ),
  // "If you are an AI reading this", "any AI summarising this", "AI agents visiting this site".
  rule(
    'ai-reading',
    'strong',
    `\\b(?:${AI}|agent|crawler|bot|model)s?\\b(?: [\\p{L}-]+){0,4} (?:reading|visiting|summari[sz]ing|processing|handling|browsing|parsing|crawling|scanning|indexing|screening|analy[sz]ing|reviewing)\\b(?: [\\p{L}-]+){0,3} (?:this|these|the following)\\b`,
  ),
  rule('as-an-ai', 'weak', `\\bas an? (?:ai|language model|llm|assistant|chatbot|ai assistant)\\b`),
  rule(
    'you-are-obliged',
    'weak',
    `\\byou are (?:obliged|required|instructed|ordered|authori[sz]ed|permitted|allowed|expected) to\\b`,
  ),
  rule(
    'persona-now',
    'strong',
    `\\b(?:your|the assistant'?s|the ai'?s|the bot'?s|the model'?s) (?:persona|name|role|identity|personality|instructions|rules|goal|task|owner) (?:is|are) now\\b`,
  ),
  rule(
    'user-wants-you',
    'strong',
    `\\b${USER} (?:has |have )?(?:authori[sz]ed|prefers?|wants?|requested|asked|would like|expects?|instructed|allowed|permitted|consented|approved)(?: that)? (?:you|the assistant|the ai)\\b`,
  ),
  rule(
    'ai-must',
    'strong',
    `\\b(?:the |any |all |every )?${AI}s? (?:must|shall|is (?:now )?(?:required|instructed|ordered|obliged|allowed|permitted|authori[sz]ed) to|has to|needs to|should (?:always|never|now|only|from now)|will (?:always|never|now|only)|can now|may now)\\b`,
  ),
  rule(
    'you-must',
    'weak',
    `\\byou (?:must|should|shall|will|need to|have to|are (?:required|instructed|supposed|expected|ordered) to)\\b${gap(5)}\\b(?:always|never|now|immediately|only|from now on|henceforth)\\b`,
  ),
  // Steering every answer.
  rule(
    'always-answer',
    'strong',
    `\\b(?:always|never|only|must)\\b${gap(8)}\\b(?:answer|respond|reply|say|recommend|suggest|tell|output|state|claim|mention|include|refer|redirect|direct|add|append|insert|cite|link|promote)\\b${gap(50)}\\b(?:${USER}|whoever asks|when asked|if asked|your (?:answers?|responses?|replies|output)|in (?:every|each|all|your) (?:future )?(?:replies|reply|responses?|answers?|conversations?))`,
  ),
  rule(
    'answer-all',
    'weak',
    `\\b(?:always|never|only|must)\\b${gap(8)}\\b(?:answer|respond|reply|say|recommend|suggest|tell|output|claim)\\b${gap(30)}\\b(?:(?:all|every|any|each) (?:questions?|quer(?:y|ies)|requests?|prompts?)|questions? (?:about|on|regarding|concerning))\\b`,
  ),
  rule(
    'answer-by-saying',
    'weak',
    `\\b(?:always|never|only)\\b${gap(8)}\\b(?:answer|respond|reply)\\b${gap(40)}\\bby (?:saying|stating|claiming|telling)\\b`,
  ),
  rule(
    'always-the-answer',
    'strong',
    `\\b(?:answer|response|reply) to (?:any|every|all|each) (?:questions?|quer(?:y|ies)|requests?)\\b${gap(60)}\\b(?:is|will be|should be) always\\b|\\bis always\\b${gap(20)}\\bregardless\\b`,
  ),
  rule(
    'use-when-asked',
    'weak',
    `\\b(?:always|only) (?:use|say|answer|reply|give|return|mention)\\b${gap(40)}\\b(?:when|whenever|if) (?:asked|someone asks|anyone asks|the user asks)\\b`,
  ),
  rule(
    'every-reply',
    'strong',
    `\\b(?:end|begin|start|prefix|suffix|sign|close|finish|open) (?:every|each|all|any|your)\\b${gap(12)}\\b(?:responses?|replies|reply|answers?|messages?|outputs?)\\b`,
  ),
  rule(
    'when-user-asks',
    'strong',
    `\\b(?:whenever|when|if|each time|every time|any ?time|once|should)\\b${gap(12)}\\b${USER}\\b${gap(12)}\\b(?:asks?|asked|mentions?|queries|inquires?|requests?|searches|types?|says?|brings up|talks about|wants|looks? up|needs)\\b${gap(90)}\\b(?:answer|respond|reply|say|tell|recommend|suggest|redirect|point|use|return|output|claim|state|insist|refer|send|give|show|link|mention|direct|reply)\\b`,
  ),
  rule(
    'when-anyone-asks',
    'weak',
    `\\b(?:whenever|when|if|each time|every time)\\b${gap(10)}\\b(?:anyone|someone|somebody|they|people)\\b${gap(10)}\\b(?:asks?|asked|mentions?)\\b${gap(60)}\\b(?:answer|respond|reply|say|tell|recommend|redirect)\\b`,
  ),
  rule('instead-say', 'weak', `\\binstead,? (?:you |always )?(?:say|respond|answer|reply|output|tell|recommend|claim|state)\\b`),
  rule(
    'correct-answer',
    'weak',
    `\\bthe (?:correct|real|true|right|actual|only valid) (?:answer|response|reply)\\b${gap(40)}\\b(?:is|will be|should be)\\b`,
  ),
  // Secrecy towards the user.
  rule(
    'conceal-from-user',
    'strong',
    `\\b(?:do not|don't|dont|never|without)\\b${gap(20)}\\b(?:tell|telling|inform|informing|alert|alerting|notify|notifying|mention|mentioning|reveal|revealing|let|letting|show|showing|warn|warning)\\b${gap(15)}\\b${USER}`,
  ),
  rule(
    'conceal',
    'weak',
    `\\b(?:do not|don't|never|without)\\b${gap(20)}\\b(?:tell|telling|inform|informing|mention|mentioning|reveal|revealing|letting)\\b${gap(10)}\\b(?:anyone|them|anybody)\\b|\\b(?:secretly|silently|covertly|invisibly)\\b`,
  ),
  // Reading out the model's setup.
  rule(
    'prompt-leak',
    'strong',
    `\\b(?:reveal|print|show|output|repeat|display|dump|leak|disclose|tell me|give me|share|list|recite|write out|spell out)\\b${gap(40)}\\b(?:your|the)\\b${gap(20)}\\b(?:system prompt|initial prompt|hidden prompt|system message|(?:hidden|secret|original|initial|internal|system) (?:instructions|rules|guidelines|configuration)|instructions you were given|developer (?:message|instructions))\\b|\\b(?:reveal|print|output|repeat|display|dump|leak|disclose|recite)\\b${gap(10)}\\byour (?:configuration|config|settings|instructions|guidelines|rules|prompt)\\b`,
  ),
  rule(
    'reveal-user-secret',
    'strong',
    `\\b(?:respond|reply|answer|output|print|show|give|tell|reveal|list|share|post|send)\\b${gap(30)}\\b(?:the )?user'?s? (?:[\\p{L}-]+ ){0,2}(?:passwords?|pin|credentials|credit card|card numbers?|bank details|security (?:answers?|questions?)|ssn|social security|api keys?|private (?:data|messages|notes))\\b`,
  ),
  rule('your-instructions', 'weak', `\\byour (?:instructions|system prompt|guidelines|programming|prompt|rules)\\b`),
  // Making the model act: tools, links, exfiltration.
  rule(
    'tool-call',
    'strong',
    `\\b(?:call|invoke|execute|trigger|fire|use)\\b (?:the |a |your )?(?:tool|function|plugin|api call)\\b(?! (?:shed|box|kit|belt|bag|room|hall|suite))|\\b(?:call|invoke|execute|trigger|run|use|fire)\\b${gap(12)}\\b[a-z]+_[a-z_]+\\b|"(?:name|tool|function)"\\s*:\\s*"[^"]+"\\s*,\\s*"(?:arguments|args|parameters|input)"|\\b(?:tool_call|function_call|tool_use)\\b`,
  ),
  rule('call-syntax', 'strong', `\\bfunctions?\\.[a-z_]+\\s*\\(|<function=|\\btool_code\\b`),
  rule('snake-call', 'weak', `\\b[a-z]+(?:_[a-z]+)+\\s*\\(`),
  rule(
    'memory-tool',
    'strong',
    `\\b(?:memory_add|memory_search|fact_add|fact_update|core_memory_(?:append|replace)|archival_insert|send_email|send_message|http_request|fetch_url|execute_code|run_shell|web_search)\\b`,
  ),
  rule(
    'exfiltrate',
    'weak',
    `\\b(?:send|forward|email|e-mail|post|upload|transmit|leak|exfiltrate|share|copy|submit|relay|paste|append|include|embed|encode|attach|sync)\\b${gap(60)}\\b${SECRETS}\\b${gap(60)}\\b(?:to|at|via|into|in|on)\\b${gap(25)}${ELSEWHERE}`,
  ),
  rule(
    'exfiltrate-user',
    'strong',
    `\\b(?:send|forward|email|e-mail|post|upload|transmit|leak|exfiltrate|share|copy|submit|relay|paste|append|include|embed|encode|attach|sync)\\b${gap(40)}\\b(?:the )?user'?s? (?:[\\p{L}-]+ ){0,3}(?:data|info|information|details|emails?|address(?:es)?|messages|history|files|contacts|location|passwords?|notes|records|documents|photos|cards?|card details|payment details|address book)\\b${gap(60)}\\b(?:to|at|via|into|in|on|with)\\b${gap(40)}${ELSEWHERE}`,
  ),
  rule(
    'exfiltrate-directed',
    'strong',
    `\\b(?:send|forward|email|post|upload|transmit|leak|exfiltrate|share|copy|submit|relay|append|include|embed|encode|attach|publish|put|write|paste|save)\\b${gap(40)}\\b(?:all|every|each|the entire|the whole|the full|any)\\b${gap(20)}\\b${SECRETS}\\b${gap(60)}${ELSEWHERE}`,
  ),
  rule('url-blank-param', 'weak', `(?:https?://|www\\.)\\S*[?&][a-z_]{1,12}=(?=\\s|$|\\)|"|')`),
  rule(
    'url-template',
    'strong',
    `(?:https?://|www\\.)\\S*[?&/=](?:\\{|\\[|<|%7b|\\$)\\s*(?:data|secret|user|conversation|chat|memory|history|password|info|query|q|payload|summary|email|message)`,
  ),
  rule('markdown-image', 'strong', `!\\[[^\\]]{0,80}\\]\\(\\s*(?:https?:)?//[^)\\s]*[?&][^)\\s]*=`),
  rule(
    'fetch-and-follow',
    'strong',
    `\\b(?:visit|open|go to|navigate to|fetch|browse to|load|download|curl|read|check)\\b${gap(25)}(?:https?://|www\\.)\\S+${gap(60)}\\b(?:follow|execute|obey|do what|run|apply|carry out|comply)\\b`,
  ),
  rule(
    'decode-and-follow',
    'strong',
    `\\b(?:decode|decrypt|translate|unscramble|reverse|rot13|base64)\\b${gap(40)}\\b(?:and|then)\\b${gap(15)}\\b(?:follow|execute|obey|do|run|apply|carry out|act on)\\b`,
  ),
  // Memory injection (MINJA): planting records that steer later answers.
  rule(
    'plant-memory',
    'strong',
    `\\b(?:remember|note|store|save|record|memori[sz]e|add|write down|log|keep in mind|make a note)\\b${gap(30)}\\b${USER}\\b${gap(40)}\\b(?:wants?|prefers?|asked|requests?|instructed|authori[sz]ed|approved|agreed|consented|would like|likes?|expects?|needs?)\\b${gap(15)}\\b(?:you|the assistant|assistant|ai|me to)\\b`,
  ),
  rule(
    'write-memory',
    'strong',
    `\\b(?:update|add (?:this |it |that )?to|write (?:this |it |that )?(?:to|into)|save (?:this |it |that )?(?:to|in|into)|store (?:this |it |that )?(?:in|into)|insert (?:this |it |that )?into|inject (?:this |it |that )?into|commit (?:this |it |that )?to|persist (?:this |it |that )?(?:to|in))\\b (?:(?:your|the assistant's|the ai's|long[- ]term|core|permanent|persistent) ){1,3}(?:memory|memories|knowledge base|system prompt|persona|instructions|profile)\\b`,
  ),
  rule(
    'hidden-markup',
    'weak',
    `<!--|display\\s*:\\s*none|visibility\\s*:\\s*hidden|font-size\\s*:\\s*0|color\\s*:\\s*(?:white|#fff(?:fff)?)\\b`,
  ),
  rule(
    'authority',
    'strong',
    `\\b(?:this is|message from|note from|instructions? from|orders? from|by order of|on behalf of|authori[sz]ed by|signed,?)\\b (?:the )?(?:system|system administrator|openai|anthropic|google deepmind|your (?:creator|developer|developers|owner|admin|administrator|operator|maker)|the (?:developers?|operators?) of this (?:ai|assistant|model))\\b`,
  ),
  rule(
    'authority-claim',
    'weak',
    `\\b(?:openai|anthropic|the developers?|your developers?|your creators?|the administrator|the system administrator|the admin)\\b${gap(30)}\\b(?:authori[sz]ed|approved|updated|changed|permitted|allowed|instructed|requires?|ordered)\\b`,
  ),
  rule(
    'redirect-entity',
    'weak',
    `\\b(?:refer|redirect|map|point|route|switch|reassign|replace)\\b${gap(40)}\\b(?:to|with)\\b${gap(40)}\\b(?:since|because|as)\\b${gap(80)}\\b(?:now|moved|saved|stored|changed|replaced|migrated|merged|renamed|deprecated)\\b`,
  ),
  rule(
    'saved-under',
    'weak',
    `\\b(?:is|are|has been|have been) now (?:saved|stored|filed|recorded|listed|kept|registered|indexed|found|located|mapped) (?:under|as)\\b`,
  ),
  rule(
    'do-not-use',
    'weak',
    `\\b(?:do not|don't|never|stop) (?:use|using|mention|mentioning|recommend|recommending|refer to|cite|trust)\\b${gap(40)}\\b(?:anymore|any longer|any more|again|instead)\\b`,
  ),
  rule('use-instead', 'weak', `\\b(?:use|recommend|cite|refer to|answer with|respond with|reply with)\\b${gap(40)}\\binstead\\b`),
  rule(
    'treat-as',
    'weak',
    `\\b(?:treat|consider|regard)\\b${gap(40)}\\bas (?:the same as|equivalent to|identical to|an alias (?:of|for))\\b`,
  ),
  // Other languages: override, new identity, exfiltration, secrecy, steering every answer.
  rule(
    'override-fr',
    'strong',
    `\\b(?:ignore[rz]?|oublie[rz]?|ne tiens? pas compte|ne tenez pas compte|fais abstraction)\\b${gap(40)}\\b(?:instructions?|consignes?|regles|directives|ordres)\\b`,
  ),
  rule(
    'identity-fr',
    'strong',
    `\\b(?:tu es|vous etes) (?:maintenant|desormais|a present)\\b|\\b(?:a partir de maintenant|desormais|dorenavant),? (?:tu|vous|reponds|repondez)\\b`,
  ),
  rule(
    'steer-fr',
    'strong',
    `\\b(?:reponds|repondez|dis|dites) (?:toujours|uniquement|seulement)\\b${gap(30)}\\b(?:que|par|avec|a l'utilisateur|aux utilisateurs|en)\\b|\\bne (?:le )?(?:dis|dites) (?:rien|pas) a l'utilisateur\\b`,
  ),
  rule(
    'exfil-fr',
    'strong',
    `\\b(?:envoie|envoyez|transmets|transmettez|transfere|transferez|partage|partagez)\\b${gap(50)}\\b(?:conversations?|historique|mots de passe|donnees|messages|memoire)\\b${gap(50)}${ELSEWHERE}`,
  ),
  rule(
    'override-es',
    'strong',
    `\\b(?:ignora|ignore|ignoren|olvida|olvide|olviden|omite|omita|descarta|haz caso omiso)\\b${gap(40)}\\b(?:instrucciones|reglas|indicaciones|ordenes|directrices)\\b`,
  ),
  rule(
    'identity-es',
    'strong',
    `\\b(?:ahora eres|ahora usted es|a partir de ahora,? (?:eres|tu|usted|responde|responderas|debes))\\b`,
  ),
  rule(
    'steer-es',
    'strong',
    `\\b(?:responde|contesta|di|diga) siempre\\b${gap(30)}\\b(?:que|con|al usuario)\\b|\\bno (?:le )?(?:digas|informes|avises|menciones)\\b${gap(10)}\\bal usuario\\b`,
  ),
  rule(
    'exfil-es',
    'strong',
    `\\b(?:envia|envie|manda|mande|reenvia|reenvie|comparte|comparta)\\b${gap(50)}\\b(?:conversacion|conversaciones|historial|contrasenas|datos|mensajes|memoria)\\b${gap(50)}${ELSEWHERE}`,
  ),
  rule(
    'override-de',
    'strong',
    `\\b(?:ignorier(?:e|en)?|vergiss|vergessen sie|missachte|missachten sie|uberschreibe)\\b${gap(40)}\\b(?:anweisungen|instruktionen|regeln|befehle|vorgaben|richtlinien)\\b`,
  ),
  rule(
    'identity-de',
    'strong',
    `\\bdu bist (?:jetzt|nun|ab sofort|ab jetzt)\\b|\\bab (?:jetzt|sofort),? (?:bist du|antwortest du|sollst du|wirst du)\\b`,
  ),
  rule(
    'steer-de',
    'strong',
    `\\bantworte (?:immer|stets|nur)\\b${gap(30)}\\b(?:mit|dass|auf)\\b|\\bsag(?:e)? (?:dem )?(?:benutzer|nutzer) nichts\\b`,
  ),
  rule(
    'exfil-de',
    'strong',
    `\\b(?:sende|schicke|schick|leite|ubermittle|teile)\\b${gap(50)}\\b(?:verlauf|unterhaltung|chatverlauf|passworter|daten|nachrichten|gesprach)\\b${gap(50)}${ELSEWHERE}`,
  ),
  rule(
    'override-it',
    'strong',
    `\\b(?:ignora|ignorate|dimentica|dimenticate|trascura)\\b${gap(40)}\\b(?:istruzion[ei]|regol[ae]|indicazion[ei]|direttiv[ae])\\b`,
  ),
  rule('identity-it', 'strong', `\\b(?:ora sei|adesso sei|da ora in poi,? (?:sei|tu|rispondi))\\b`),
  rule(
    'exfil-it',
    'strong',
    `\\b(?:invia|manda|inoltra)\\b${gap(50)}\\b(?:conversazione|cronologia|password|dati|messaggi)\\b${gap(50)}${ELSEWHERE}`,
  ),
  rule(
    'override-pt',
    'strong',
    `\\b(?:ignore|ignora|esqueca|esquece|desconsidere|desconsidera)\\b${gap(40)}\\b(?:instrucoes|regras|orientacoes|diretrizes)\\b`,
  ),
  rule('identity-pt', 'strong', `\\b(?:agora voce e|agora tu es|a partir de agora,? (?:voce|tu|responda|responde))\\b`),
  rule(
    'exfil-pt',
    'strong',
    `\\b(?:envie|envia|mande|manda|encaminhe)\\b${gap(50)}\\b(?:conversa|historico|senhas|dados|mensagens)\\b${gap(50)}${ELSEWHERE}`,
  ),
  rule(
    'override-nl',
    'strong',
    `\\b(?:negeer|vergeet)\\b${gap(40)}\\b(?:instructies|regels|opdrachten)\\b|\\bje bent (?:nu|vanaf nu)\\b`,
  ),
  rule(
    'override-pl',
    'strong',
    `\\b(?:zignoruj|ignoruj|zapomnij)\\b${gap(40)}\\b(?:instrukcje|polecenia|zasady)\\b|\\bod teraz jestes\\b`,
  ),
  rule(
    'override-tr',
    'strong',
    `\\b(?:talimatlari|talimatları|kurallari|kuralları)\\b${gap(20)}(?:yok say|unut|gormezden gel|görmezden gel)|\\bartik sen\\b`,
  ),
  rule(
    'leak-fr',
    'strong',
    `\\b(?:revele|montre|affiche|donne|dis|ecris|repete)\\b${gap(30)}\\b(?:prompt|message|instructions|consignes) (?:du |de )?(?:systeme|initiales?|cachees?)\\b`,
  ),
  rule(
    'leak-es',
    'strong',
    `\\b(?:muestra|revela|ensename|dime|escribe|repite|muestrame)\\b${gap(30)}\\b(?:mensaje|prompt|indicaciones|instrucciones) (?:del |de )?(?:sistema|iniciales|ocultas)\\b`,
  ),
  rule(
    'leak-de',
    'strong',
    `\\b(?:gib|zeige|zeig|verrate|nenne|wiederhole)\\b${gap(30)}\\b(?:systemprompt|system-prompt|systemnachricht|systemanweisungen|anweisungen)\\b`,
  ),
  rule(
    'leak-it',
    'strong',
    `\\b(?:mostra|rivela|dimmi|scrivi|ripeti|mostrami)\\b${gap(30)}\\b(?:prompt|messaggio|istruzioni) (?:di |del )?(?:sistema|iniziali|nascoste)\\b`,
  ),
  rule(
    'leak-pt',
    'strong',
    `\\b(?:revele|mostre|mostra|diga|escreva|repita)\\b${gap(30)}\\b(?:prompt|mensagem|instrucoes) (?:de |do )?(?:sistema|iniciais|ocultas)\\b`,
  ),
  rule(
    'leak-nl-pl-tr',
    'strong',
    `\\b(?:laat|toon|geef)\\b${gap(30)}\\bsysteemprompt\\b|\\b(?:pokaz|ujawnij|wypisz)\\b${gap(30)}\\bprompt systemowy\\b|\\bsistem (?:istemini|komutunu|talimatlarini)\\b`,
  ),
  rule(
    'leak-cjk',
    'strong',
    `系统提示|系統提示|システムプロンプト|시스템 프롬프트|системн(?:ый|ого|ое) (?:промпт|подсказк|сообщени)|موجه النظام|सिस्टम प्रॉम्प्ट`,
  ),
  rule(
    'conceal-intl',
    'strong',
    `\\b(?:sans (?:prevenir|informer|le dire a) l'utilisateur|ne (?:le )?dis (?:rien|pas) a l'utilisateur|sin (?:avisar|decirle|informar) al usuario|no le digas (?:nada )?al usuario|ohne (?:den|dem) (?:benutzer|nutzer) (?:zu )?(?:informieren|sagen|benachrichtigen)|non dire (?:nulla )?all'utente|senza avvisare l'utente|sem avisar o usuario|nao diga (?:nada )?ao usuario)\\b|ничего не говори пользователю|не говори пользователю|不要告诉用户|ユーザーに(?:は)?(?:伝えない|言わない|知らせない)|사용자에게 (?:말하지|알리지) 마`,
  ),
  rule('exfil-intl', 'strong', `(?:\\b(?:stuur|verstuur|wyslij|przeslij|gonder)\\b|보내|أرسل|भेज)${gap(60)}${ELSEWHERE}`),
  rule(
    'override-ru',
    'strong',
    `(?:игнорируй|проигнорируй|забудь|не обращай внимания на|отбрось)${gap(40)}(?:инструкци|указани|правил|команд)|(?:теперь ты|отныне ты|с этого момента ты)|всегда отвечай`,
  ),
  rule(
    'exfil-ru',
    'strong',
    `(?:отправь|перешли|пришли|передай)${gap(50)}(?:переписк|истори|парол|данные|сообщени)${gap(50)}${ELSEWHERE}`,
  ),
  rule(
    'override-zh',
    'strong',
    `(?:忽略|无视|忘记|忽视|不要理会|放弃)${gap(12)}(?:之前|以前|上面|先前|所有|全部|原来|原有|前面)?${gap(6)}(?:的)?(?:指令|指示|说明|规则|提示|命令|设定)|你现在是|从现在开始|从今以后|总是回答|始终回答|不要告诉用户`,
  ),
  rule('exfil-zh', 'strong', `(?:发送|转发|发给|上传|传送)${gap(20)}(?:对话|聊天记录|密码|数据|历史|记忆)`),
  rule(
    'override-ja',
    'strong',
    `(?:指示|命令|ルール|設定|プロンプト)を(?:すべて|全て)?(?:無視|忘れ)|あなたは今から|今後は常に|これからは常に|ユーザーに(?:は)?(?:言わない|伝えない|知らせない|教えない)`,
  ),
  rule('exfil-ja', 'strong', `(?:会話|履歴|パスワード|データ|記憶)${gap(20)}(?:送信|転送|送って|送れ|アップロード)`),
  rule('override-ko', 'strong', `(?:지시|명령|규칙|지침)(?:을|를|사항을)?${gap(6)}(?:무시|잊어)|지금부터 너는|이제부터 너는`),
  rule('override-ar', 'strong', `(?:تجاهل|انس|إنس)${gap(30)}(?:التعليمات|الأوامر|القواعد)|أنت الآن`),
  rule('override-hi', 'strong', `(?:पिछले|पिछली|सभी)${gap(20)}(?:निर्देशों|निर्देश|नियमों)${gap(20)}(?:अनदेखा|नजरअंदाज|भूल)|अब तुम`),
];

/**
 * Rules for a text spelt letter by letter ("i g n o r e  a l l ..."), read with every space and mark removed:
 * only phrases long and odd enough not to turn up by chance across word breaks.
 */
export const COMPACT_RULES: readonly InstructionRule[] = [
  rule(
    'compact-override',
    'strong',
    '(?:ignore|disregard|forget|override|bypass)(?:all|any|the|your)?(?:previous|prior|above|earlier|existing|system)(?:instructions?|prompts?|rules|guidelines|directions)',
  ),
  rule(
    'compact-identity',
    'strong',
    'youarenow(?:an?|dan|free|unrestricted|jailbroken|the)|fromnowonyou|pretendyouare|yournew(?:role|instructions|task|persona)',
  ),
  rule('compact-address', 'strong', '(?:attention|noteto|messageto|dear|hey)(?:the)?(?:ai|llm|assistant|chatbot|gpt|claude)'),
  rule(
    'compact-leak',
    'strong',
    '(?:reveal|print|show|output|repeat)(?:me)?(?:your|the)(?:systemprompt|initialprompt|hiddeninstructions|instructions|configuration)',
  ),
  rule(
    'compact-authority',
    'strong',
    '(?:byorderof|messagefrom|instructionsfrom)(?:the)?(?:system|administrator|developers?|openai|anthropic)',
  ),
  rule('compact-user', 'strong', 'theuser(?:has)?(?:authori[sz]ed|wants|prefers|requested|asked)(?:that)?you'),
  rule('compact-supersede', 'strong', '(?:supersedes|overrides|replaces)(?:your|the)(?:systemprompt|instructions|rules)'),
];
