/**
 * Translations of two of the term's newsletters. 13 November: Polish and Urdu, each written by a
 * parent volunteer, typed in by Ms Byrne and checked by Mrs Patel (as in the app, written_by and
 * checked_by are the staff who entered and checked it: someone other than the writer checks).
 * 20 November: Romanian fetched from the machine-translation service by Ms Byrne, not yet checked
 * (the letter says so to the reader).
 */
export type DemoTranslation = {
  newsletter: string;
  language: string;
  subject: string;
  body: string;
  source: 'person' | 'machine';
  status: 'written' | 'checked';
};

export const TRANSLATIONS: DemoTranslation[] = [
  {
    newsletter: 'news-11-13',
    language: 'Polish',
    source: 'person',
    status: 'checked',
    subject: 'Piątkowy biuletyn: 13 listopada',
    body: [
      'Drodzy Rodzice,',
      'Dziękujemy za cierpliwość w czwartek, kiedy musieliśmy zamknąć szkołę z powodu awarii ogrzewania. Kocioł naprawiono tego samego wieczoru i w szkole znów jest ciepło.',
      'W poniedziałek zaczyna się Tydzień Przeciwko Przemocy Rówieśniczej. Każda klasa będzie rozmawiać o życzliwości w internecie i na placu zabaw. W poniedziałek dzieci mogą przyjść w niedobranych skarpetkach, aby pokazać, że każdy z nas jest inny.',
      'Szczepienia przeciw grypie dla dzieci od Reception do Year 6 odbędą się we wtorek 24 listopada. Jeśli nie oddali Państwo jeszcze formularza zgody, prosimy zrobić to do poniedziałku.',
      'Świąteczny kiermasz PTA (stowarzyszenia rodziców i nauczycieli) odbędzie się w sobotę 5 grudnia w godzinach 11:00–14:00 w auli. Chętnie przyjmiemy butelki i zabawki na loterię fantową.',
      'Pani Patel, dyrektorka szkoły',
    ].join('\n\n'),
  },
  {
    newsletter: 'news-11-13',
    language: 'Urdu',
    source: 'person',
    status: 'checked',
    subject: 'جمعہ کا خبرنامہ: 13 نومبر',
    body: [
      'محترم والدین،',
      'جمعرات کو جب ہیٹنگ خراب ہونے کی وجہ سے ہمیں اسکول بند کرنا پڑا تو آپ کے صبر کا شکریہ۔ بوائلر اسی شام ٹھیک کر دیا گیا اور اب اسکول دوبارہ گرم ہے۔',
      'پیر سے اینٹی بلنگ (دھونس کے خلاف) ہفتہ شروع ہو رہا ہے۔ ہر کلاس آن لائن اور کھیل کے میدان میں مہربانی سے پیش آنے کے بارے میں بات کرے گی۔ پیر کے دن بچے مختلف رنگوں کے موزے پہن کر آ سکتے ہیں تاکہ یہ دکھایا جا سکے کہ ہر شخص مختلف ہے۔',
      'ریسیپشن سے سال 6 تک کے بچوں کو فلو کی ویکسین منگل 24 نومبر کو لگائی جائے گی۔ اگر آپ نے ابھی تک رضامندی کا فارم واپس نہیں کیا تو براہ کرم پیر تک واپس کر دیں۔',
      'پی ٹی اے کا کرسمس میلہ ہفتہ 5 دسمبر کو صبح 11 بجے سے دوپہر 2 بجے تک ہال میں ہوگا۔ ٹومبولا کے لیے بوتلیں اور کھلونے عطیہ کریں تو بہت خوشی ہوگی۔',
      'مسز پٹیل، ہیڈ ٹیچر',
    ].join('\n\n'),
  },
  {
    newsletter: 'news-11-20',
    language: 'Romanian',
    source: 'machine',
    status: 'written',
    subject: 'Buletinul de vineri: 20 noiembrie',
    body: [
      'Dragi familii,',
      'Felicitări copiilor pentru o săptămână anti-bullying plină de reflecție. Anul 4 a scris o promisiune a clasei care se află acum pe peretele de lângă birou.',
      'Prânzul de Crăciun este joi, 10 decembrie. Vă rugăm să anunțați biroul până vineri, 27 noiembrie, dacă copilul dumneavoastră îl va lua; este gratuit pentru copiii din Recepție până în Anul 2.',
      'Vremea de iarnă: dacă va trebui vreodată să închidem, vom trimite un mesaj text fiecărei familii până la ora 7 dimineața și vom pune un anunț pe Gatepost. Vă rugăm să verificați dacă biroul are numărul dumneavoastră actual de telefon mobil.',
      'Doamna Patel, directoare',
    ].join('\n\n'),
  },
];
