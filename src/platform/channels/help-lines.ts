/**
 * One line, in the family's own language and script, added to messages sent in English:
 * "This message is in English. To get help with it in {language}, contact the school office —
 * we can arrange an interpreter." Written by people, not machine translation, so it is there even
 * when the translation service is not. Have a speaker check any line before changing it.
 *
 * Direction: Urdu and Arabic read right to left. In HTML give the line its own element with the
 * language and direction, e.g. <p lang="ur" dir="rtl">…</p> (lang from LANGUAGE_CODES), so the
 * browser lays it out and picks a font correctly; never rely on the page's dir="ltr". In plain text
 * (email text part, SMS) put it on a line of its own; mail clients and phones set the direction
 * from the first strong character. Punjabi here is in Gurmukhi; many Pakistani Punjabi families
 * read Urdu instead.
 */
const HELP_LINES: Record<string, string> = {
  Polish: 'Ta wiadomość jest w języku angielskim. Jeśli potrzebują Państwo pomocy w języku polskim, prosimy o kontakt z sekretariatem szkoły — możemy zapewnić tłumacza.',
  Urdu: 'یہ پیغام انگریزی میں ہے۔ اردو میں مدد کے لیے اسکول کے دفتر سے رابطہ کریں — ہم ترجمان کا انتظام کر سکتے ہیں۔',
  Somali: 'Fariintan waxay ku qoran tahay af Ingiriis. Haddii aad u baahan tahay caawimaad af Soomaali ah, la xiriir xafiiska dugsiga — waxaan kuu diyaarin karnaa turjumaan.',
  Romanian: 'Acest mesaj este în limba engleză. Pentru ajutor în limba română, contactați secretariatul școlii — vă putem asigura un interpret.',
  Arabic: 'هذه الرسالة باللغة الإنجليزية. للحصول على مساعدة باللغة العربية، يُرجى التواصل مع مكتب المدرسة — يمكننا توفير مترجم.',
  Bengali: 'এই বার্তাটি ইংরেজিতে লেখা। বাংলায় সাহায্যের জন্য স্কুল অফিসে যোগাযোগ করুন — আমরা একজন দোভাষীর ব্যবস্থা করতে পারি।',
  Portuguese: 'Esta mensagem está em inglês. Para obter ajuda em português, fale com a secretaria da escola — podemos providenciar um intérprete.',
  Punjabi: 'ਇਹ ਸੁਨੇਹਾ ਅੰਗਰੇਜ਼ੀ ਵਿੱਚ ਹੈ। ਪੰਜਾਬੀ ਵਿੱਚ ਮਦਦ ਲਈ ਸਕੂਲ ਦੇ ਦਫ਼ਤਰ ਨਾਲ ਸੰਪਰਕ ਕਰੋ — ਅਸੀਂ ਦੁਭਾਸ਼ੀਏ ਦਾ ਪ੍ਰਬੰਧ ਕਰ ਸਕਦੇ ਹਾਂ।',
  Turkish: 'Bu mesaj İngilizce yazılmıştır. Türkçe yardım almak için okul sekreterliğiyle iletişime geçin — sizin için bir tercüman ayarlayabiliriz.',
  Lithuanian: 'Šis pranešimas parašytas anglų kalba. Jei reikia pagalbos lietuvių kalba, kreipkitės į mokyklos raštinę — galime pakviesti vertėją.',
  Ukrainian: 'Це повідомлення англійською мовою. Щоб отримати допомогу українською, зверніться до канцелярії школи — ми можемо запросити перекладача.',
  Spanish: 'Este mensaje está en inglés. Si necesita ayuda en español, póngase en contacto con la secretaría del colegio — podemos conseguirle un intérprete.',
  French: "Ce message est en anglais. Pour obtenir de l'aide en français, contactez le secrétariat de l'école — nous pouvons faire appel à un interprète.",
  Tigrinya: 'እዚ መልእኽቲ ብእንግሊዝኛ እዩ። ብትግርኛ ሓገዝ እንተደሊኹም፡ ምስ ቤት ጽሕፈት ቤት ትምህርቲ ተራኸቡ — ተርጓሚ ከነዳሉ ንኽእል ኢና።',
};

const RIGHT_TO_LEFT = new Set(['urdu', 'arabic']);

function known(language: string): string | undefined {
  const want = language.trim().toLowerCase();
  return Object.keys(HELP_LINES).find((name) => name.toLowerCase() === want);
}

/** The help line for a language name ("Polish", any case); null for English or a language we lack. */
export function helpLine(language: string): string | null {
  const name = known(language);
  return name ? HELP_LINES[name]! : null;
}

/** True for languages written right to left (Urdu, Arabic): give their line dir="rtl". */
export function isRightToLeft(language: string): boolean {
  return RIGHT_TO_LEFT.has(language.trim().toLowerCase());
}
