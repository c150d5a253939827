/** Texts the benchmark feeds the encoder (they were the first app's demo passages): the same few facts in several languages. */
export interface Passage {
  id: string;
  /** Which fact it states; parallel passages share it. */
  topic: string;
  lang: string;
  text: string;
}

export const BUILT_IN_PASSAGES: Passage[] = [
  { id: 'bees-en', topic: 'bees', lang: 'en', text: 'Honey bees make honey from the nectar of flowers and store it in wax combs inside the hive.' },
  { id: 'bees-de', topic: 'bees', lang: 'de', text: 'Honigbienen stellen Honig aus dem Nektar von Blüten her und lagern ihn in Waben aus Wachs im Bienenstock.' },
  { id: 'bees-zh', topic: 'bees', lang: 'zh', text: '蜜蜂用花蜜酿造蜂蜜，并把它储存在蜂巢里的蜂蜡巢脾中。' },
  { id: 'bees-es', topic: 'bees', lang: 'es', text: 'Las abejas melíferas elaboran miel a partir del néctar de las flores y la guardan en panales de cera dentro de la colmena.' },
  { id: 'kilimanjaro-en', topic: 'kilimanjaro', lang: 'en', text: 'Mount Kilimanjaro in Tanzania is the highest mountain in Africa, rising 5,895 metres above sea level.' },
  { id: 'kilimanjaro-de', topic: 'kilimanjaro', lang: 'de', text: 'Der Kilimandscharo in Tansania ist mit 5895 Metern über dem Meeresspiegel der höchste Berg Afrikas.' },
  { id: 'kilimanjaro-zh', topic: 'kilimanjaro', lang: 'zh', text: '坦桑尼亚的乞力马扎罗山海拔5895米，是非洲最高的山。' },
  { id: 'kilimanjaro-sw', topic: 'kilimanjaro', lang: 'sw', text: 'Mlima Kilimanjaro nchini Tanzania ndio mlima mrefu zaidi barani Afrika, wenye urefu wa mita 5,895 juu ya usawa wa bahari.' },
  { id: 'piano-en', topic: 'piano', lang: 'en', text: 'The piano was invented in Italy around 1700 by Bartolomeo Cristofori, who let hammers strike the strings.' },
  { id: 'piano-de', topic: 'piano', lang: 'de', text: 'Das Klavier wurde um 1700 in Italien von Bartolomeo Cristofori erfunden, bei dem Hämmer die Saiten anschlagen.' },
  { id: 'piano-zh', topic: 'piano', lang: 'zh', text: '钢琴大约在1700年由巴尔托洛梅奥·克里斯托福里在意大利发明，用小槌敲击琴弦发声。' },
  { id: 'piano-ru', topic: 'piano', lang: 'ru', text: 'Фортепиано изобрёл в Италии около 1700 года Бартоломео Кристофори: по струнам в нём ударяют молоточки.' },
  { id: 'coffee-en', topic: 'coffee', lang: 'en', text: 'Coffee is brewed from roasted seeds of the coffee plant, which first grew wild in the highlands of Ethiopia.' },
  { id: 'coffee-de', topic: 'coffee', lang: 'de', text: 'Kaffee wird aus den gerösteten Samen der Kaffeepflanze gebrüht, die zuerst wild im Hochland Äthiopiens wuchs.' },
  { id: 'coffee-zh', topic: 'coffee', lang: 'zh', text: '咖啡是用咖啡树烘焙过的种子冲泡而成的，这种植物最早野生于埃塞俄比亚高原。' },
  { id: 'coffee-ar', topic: 'coffee', lang: 'ar', text: 'تُحضَّر القهوة من بذور نبات البن المحمصة، وقد نما هذا النبات أول مرة بريًّا في مرتفعات إثيوبيا.' },
  { id: 'shinkansen-en', topic: 'shinkansen', lang: 'en', text: 'Japan opened its first high-speed railway, the Tokaido Shinkansen between Tokyo and Osaka, in 1964.' },
  { id: 'shinkansen-de', topic: 'shinkansen', lang: 'de', text: 'Japan eröffnete 1964 seine erste Schnellfahrstrecke, den Tōkaidō-Shinkansen zwischen Tokio und Osaka.' },
  { id: 'shinkansen-zh', topic: 'shinkansen', lang: 'zh', text: '日本于1964年开通了第一条高速铁路，即连接东京和大阪的东海道新干线。' },
  { id: 'shinkansen-ja', topic: 'shinkansen', lang: 'ja', text: '日本は1964年に最初の高速鉄道である東京と大阪を結ぶ東海道新幹線を開業した。' },
  { id: 'moon-en', topic: 'moon', lang: 'en', text: 'The Moon orbits the Earth about once every 27 days and always turns the same face towards it.' },
  { id: 'moon-de', topic: 'moon', lang: 'de', text: 'Der Mond umkreist die Erde etwa alle 27 Tage und wendet ihr dabei stets dieselbe Seite zu.' },
  { id: 'moon-zh', topic: 'moon', lang: 'zh', text: '月球大约每27天绕地球运行一周，并且总是以同一面朝向地球。' },
  { id: 'moon-hi', topic: 'moon', lang: 'hi', text: 'चंद्रमा लगभग हर 27 दिनों में पृथ्वी की एक परिक्रमा करता है और हमेशा उसकी ओर अपना एक ही भाग रखता है।' },
];

/** A language's name in English, for badges. */
export const LANGUAGE_NAMES: Record<string, string> = {
  ar: 'Arabic', bn: 'Bengali', de: 'German', el: 'Greek', en: 'English', es: 'Spanish', fr: 'French',
  hi: 'Hindi', ja: 'Japanese', ru: 'Russian', sw: 'Swahili', th: 'Thai', tr: 'Turkish', vi: 'Vietnamese', zh: 'Chinese',
};
