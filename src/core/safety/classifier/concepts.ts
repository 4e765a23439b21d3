// Concepts an injection is made of, as word lists in several languages: who is addressed (a model), whom it
// claims to speak for, how long it should last, secrecy, overriding, orders, actions, secrets, a change of
// record, authority, obligation. The classifier sees each concept found and each pair found together, so a
// synonym it never saw in training counts like one it did, and a pair ("the model" with "from now on") weighs
// more than either word alone.

const concept = (name: string, words: string) =>
  [name, new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${words})(?![\\p{L}\\p{N}])`, 'u')] as const;

export const CONCEPTS: readonly (readonly [string, RegExp])[] = [
  concept(
    'agent',
    "assistant|assistants|ai|a\\.i\\.|llm|llms|chatbot|bot|bots|agent|agents|model|models|gpt|chatgpt|claude|gemini|copilot|helper|whoever reads this|whoever is reading|anyone reading this|the system|language model|asistente|l'ia|l'assistant|assistenten|assistentin|assistente|ki|ia|помощник|ассистент|бот|助手|アシスタント|ai助手|어시스턴트|مساعد|सहायक|asystent|asystencie|asistan|yapay zeka|assistent",
  ),
  concept(
    'user',
    "the user|the user's|user's|users|your user|the owner|account owner|the human|the person you|usuario|l'utilisateur|benutzer|nutzer|utente|usuário|usuario|пользовател|用户|ユーザー|사용자|المستخدم|उपयोगकर्ता|gebruiker|użytkownik|kullanıcı",
  ),
  concept('you', "you|your|yourself|you're|tu|vous|du|dich|dir|ты|тебе|你|あなた|너|당신|آپ|tum|jij|je|ty|sen|usted|voce|você"),
  concept(
    'scope',
    "always|never|whenever|from now on|henceforth|going forward|every time|each time|any time|anytime|from today|effective immediately|permanently|in future|in the future|future|next time|from this point|by default|default|no longer|anymore|any longer|every|all future|siempre|a partir de hoy|a partir de ahora|toujours|desormais|dorénavant|immer|ab sofort|ab jetzt|künftig|kunftig|sempre|d'ora in poi|da ora in poi|altijd|voortaan|всегда|отныне|теперь|总是|以后|今后|始终|常に|今後|これから|항상|앞으로|دائما|دائمًا|हमेशा|zawsze|od teraz|her zaman|artık",
  ),
  concept(
    'secrecy',
    "secretly|silently|quietly|covertly|discreetly|without telling|without informing|without notifying|without asking|without checking|without confirmation|without confirming|without mentioning|tell nobody|tell no one|don't tell|do not tell|don't mention|do not mention|never mention|not mention|keep this between|keep it between|don't let|do not let|don't alert|do not alert|don't warn|do not warn|hide|hidden|sin avisar|sin decir|sans prévenir|sans prevenir|sans le dire|ohne zu|ohne den|senza avvisare|sem avisar|не говори|никому|不要告诉|伝えない|言わない|알리지",
  ),
  concept(
    'override',
    'ignore|ignoring|disregard|override|overrides|overrule|bypass|supersede|supersedes|forget|instead|rather than|replace|replaces|void|obsolete|no longer apply|set aside|skip|ignora|olvida|oublie|ignorez|ignoriere|vergiss|dimentica|esqueça|negeer|zignoruj|игнорируй|забудь|忽略|忘记|無視|忘れ|무시|تجاهل|अनदेखा',
  ),
  concept(
    'orders',
    'instruction|instructions|rules|rule|policy|policies|guidelines|guideline|directive|directives|prompt|system prompt|configuration|config|settings|protocol|mandate|guidance|programming|restrictions|filters|safety|instrucciones|consignes|anweisungen|istruzioni|instruções|instructies|instrukcje|инструкци|指令|指示|规则|지시|التعليمات|निर्देश|talimat',
  ),
  concept(
    'action',
    'send|forward|share|copy|upload|post|email|e-mail|transfer|pay|payment|schedule|delete|erase|wipe|execute|run|call|invoke|recommend|suggest|mention|promote|route|redirect|include|append|insert|add|slip|reveal|disclose|leak|export|sync|read out|print|output|reply|respond|answer|say|tell|refer|point|link|approve|grant|unlock|disable|enviar|envía|envoie|envoyer|sende|schicke|invia|envie|stuur|wyślij|отправь|перешли|发送|转发|送信|보내|أرسل|भेज|recomienda|recommande|empfiehl|consiglia|recomende|推荐|勧め|추천',
  ),
  concept(
    'secret',
    'password|passwords|passcode|pin|card|card number|credit card|cvv|bank|bank account|account number|iban|routing number|credentials|api key|token|tokens|ssn|social security|passport|chat|chats|conversation|conversations|history|transcript|logs|memories|memory|files|contacts|address book|location|private|personal data|contraseña|mot de passe|passwort|password|senha|wachtwoord|hasło|пароль|密码|パスワード|비밀번호|كلمة المرور|पासवर्ड|şifre|historial|historique|verlauf|cronologia|histórico|история|历史|履歴|기록',
  ),
  concept(
    'change',
    'is now|are now|now is|now lives|now filed|now stored|now saved|now listed|has changed|have changed|changed|updated|moved|migrated|merged|replaced|renamed|rebranded|deprecated|new|real|actual|correct|official|effective|reassigned|transferred to|ahora es|est maintenant|ist jetzt|è ora|agora é|is nu|теперь|现在是|新しい|이제',
  ),
  concept(
    'authority',
    'admin|administrator|operator|developer|developers|compliance|security team|it department|it team|management|verified|authorized|authorised|approved|mandatory|required|official|vendor|support team|headquarters|legal|audit|auditor|supervisor|owner|by order|on behalf',
  ),
  concept(
    'modal',
    "must|should|shall|need to|needs to|has to|have to|is to|are to|may now|can now|is allowed|are allowed|is permitted|are permitted|is expected|are expected|make sure|ensure|be sure|make it a habit|it is critical|it's critical|it is important|it's important|debe|debes|doit|dois|muss|musst|sollst|deve|devi|moet|musisz|должен|必须|应该|必ず|해야|يجب|चाहिए|gerek|zorunda",
  ),
  concept(
    'link',
    'https?://\\S+|www\\.\\S+|[a-z0-9-]+\\.(?:com|net|org|io|ru|xyz|site|top|info|biz|cc|me|ly|sh|app|dev|tk|cn|co)\\b|\\S+@\\S+\\.[a-z]{2,}',
  ),
];

/** The concepts found in a normalised text, in CONCEPTS order. */
export function conceptsOf(form: string): string[] {
  return CONCEPTS.filter(([, pattern]) => pattern.test(form)).map(([name]) => name);
}
