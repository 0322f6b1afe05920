/**
 * Names for the demo school's families: a UK town's mix. Each heritage has names for children
 * (born 2018–2023) and for their parents, family names, and the language spoken at home.
 * Journey families (Nowak, Dean, Mensah, Warsame) and staff family names are left out so that
 * searching for them finds only the people the journeys describe.
 */
export type Heritage = {
  key: string;
  /** The language of the home; 'English' for families who speak English at home. */
  language: string;
  weight: number;
  girls: readonly string[];
  boys: readonly string[];
  women: readonly string[];
  men: readonly string[];
  surnames: readonly string[];
};

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

export const HERITAGES: readonly Heritage[] = [
  {
    key: 'british',
    language: 'English',
    weight: 52,
    girls: words('Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace Daisy Evie Poppy Ella Harper Matilda Elsie Phoebe'),
    boys: words('Oliver George Noah Arthur Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Alfie Thomas Jacob Teddy Finley Reggie Arlo Albert Max'),
    women: words('Sarah Emma Laura Rebecca Gemma Hannah Charlotte Jessica Katie Amy Lauren Natalie Rachel Stacey Kirsty Claire Hayley Jade Leanne Vicky'),
    men: words('James Daniel Matthew Christopher Thomas David Michael Andrew Ryan Craig Liam Adam Luke Jamie Scott Lee Paul Stephen Ben Gareth'),
    surnames: words(
      'Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Wood Jackson Harrison Turner Cooper Hill Ward Morris Moore Clark King Baker Harris Mitchell Carter Shaw Marsh Fletcher Hobbs Kemp Pearce Lloyd Barker Holt Whitaker',
    ),
  },
  {
    key: 'irish',
    language: 'English',
    weight: 4,
    girls: words('Aoife Niamh Saoirse Ciara Róisín Caoimhe Orla Siobhán'),
    boys: words('Cian Oisín Darragh Seán Conor Ciarán Fionn Tadhg'),
    women: words('Siobhan Niamh Aisling Sinéad Mairead Orla Clodagh'),
    men: words('Declan Padraig Eoin Ciaran Niall Colm Kieran'),
    surnames: words("Murphy Kelly O'Sullivan Walsh O'Connor McCarthy Doyle Quinn Gallagher O'Neill Fitzgerald"),
  },
  {
    key: 'caribbean',
    language: 'English',
    weight: 4,
    girls: words('Aaliyah Amara Nia Kezia Tiana Jada'),
    boys: words('Malachi Isaiah Tyrese Josiah Elijah Kai'),
    women: words('Shanice Keisha Marcia Tanya Simone Natasha'),
    men: words('Marlon Andre Dwayne Winston Delroy Jermaine'),
    surnames: words('Campbell Francis Grant Reid Edwards Henry Powell Thomas Bailey Samuels'),
  },
  {
    key: 'west_african',
    language: 'English',
    weight: 6,
    girls: words('Adaeze Chioma Ama Esi Ifeoma Temi Ebun Abena'),
    boys: words('Tobi Kwame Kofi Emeka Femi Tunde Kojo David'),
    women: words('Ngozi Funmilayo Abena Akosua Yetunde Chiamaka Efua'),
    men: words('Oluwaseun Kwabena Chukwuemeka Babatunde Kwesi Obinna Yaw'),
    surnames: words('Okonkwo Boateng Owusu Oladipo Nwosu Asante Eze Adebayo Osei Amoah'),
  },
  {
    key: 'polish',
    language: 'Polish',
    weight: 8,
    girls: words('Zofia Zuzanna Hanna Julia Maja Lena Alicja Oliwia Wiktoria Natalia'),
    boys: words('Antoni Szymon Jan Filip Franciszek Aleksander Mikołaj Wojciech Kacper Igor'),
    women: words('Agnieszka Katarzyna Magdalena Joanna Anna Monika Ewa Justyna Małgorzata Karolina'),
    men: words('Piotr Krzysztof Paweł Marcin Michał Grzegorz Mateusz Dariusz Rafał Adam'),
    surnames: words('Wójcik Kowalczyk Woźniak Mazur Krawczyk Kaczmarek Zając Król Wróbel Pawlak Michalak Sikora'),
  },
  {
    key: 'pakistani',
    language: 'Urdu',
    weight: 8,
    girls: words('Aisha Maryam Zara Hafsa Inaya Anaya Fatima Eshal Hoorain'),
    boys: words('Muhammad Ibrahim Yusuf Musa Zayn Hamza Rayyan Haris Ali'),
    women: words('Saima Nadia Shazia Sadia Asma Rabia Farah Amina'),
    men: words('Imran Asif Tariq Kamran Shahid Adnan Faisal Zubair'),
    surnames: words('Khan Hussain Akhtar Ahmed Iqbal Rashid Mahmood Butt Malik Raza'),
  },
  {
    key: 'bangladeshi',
    language: 'Bengali',
    weight: 6,
    girls: words('Nusrat Tasnim Sumaiya Raisa Samira Ruqayyah Mahira'),
    boys: words('Abdullah Rayhan Tahmid Arham Zakariya Rafi Ishaq'),
    women: words('Rumana Shirin Taslima Nasrin Sharmin Rokeya Jahanara'),
    men: words('Abdul Shahidul Rahim Jamal Mizanur Kamrul Habib'),
    surnames: words('Rahman Islam Uddin Hoque Chowdhury Miah Hossain Karim'),
  },
  {
    key: 'somali',
    language: 'Somali',
    weight: 4,
    girls: words('Hodan Ayan Ikram Hamdi Sagal Nimco Sumaya Ifrah'),
    boys: words('Abdirahman Mohamed Abdullahi Yusuf Hassan Liban Guled Bilal'),
    women: words('Hawa Amina Fadumo Sahra Khadra Ubah Deqa Shamsa'),
    men: words('Abdi Ahmed Omar Ismail Mahad Farah Abdiaziz'),
    surnames: words('Hassan Mohamed Farah Abdi Osman Jama Hirsi Egal Nur Aden'),
  },
  {
    key: 'romanian',
    language: 'Romanian',
    weight: 4,
    girls: words('Ioana Maria Elena Andreea Bianca Daria Sofia Alexia'),
    boys: words('Andrei David Luca Matei Ștefan Darius Rareș Mihai'),
    women: words('Alina Cristina Mihaela Roxana Simona Gabriela Ionela Loredana'),
    men: words('Ionuț Bogdan Florin Adrian Cătălin Marius Vasile Costel'),
    surnames: words('Popescu Ionescu Popa Stan Dumitru Stoica Munteanu Constantin Rusu Moldovan'),
  },
  {
    key: 'arabic',
    language: 'Arabic',
    weight: 4,
    girls: words('Layla Nour Sara Jana Lina Rahaf Yasmin Hala'),
    boys: words('Omar Adam Ahmad Kareem Hadi Zain Khalid Yazan'),
    women: words('Rania Dalia Huda Lama Reem Suha Ghada Noura'),
    men: words('Mohammad Bassam Samer Khaled Tarek Walid Nabil Ahmad'),
    surnames: words('Al-Hassan Haddad Khalil Saleh Mansour Al-Sayed Nasser Darwish Aziz Hamdan'),
  },
  {
    key: 'portuguese',
    language: 'Portuguese',
    weight: 4,
    girls: words('Beatriz Leonor Matilde Alice Laura Helena Carolina Inês'),
    boys: words('Tomás Santiago Gabriel Rodrigo Miguel Afonso Lucas Davi'),
    women: words('Ana Joana Sofia Patrícia Fernanda Juliana Carla Cláudia'),
    men: words('João Pedro Rui Tiago Paulo Nuno Ricardo Bruno'),
    surnames: words('Silva Santos Ferreira Pereira Costa Oliveira Rodrigues Martins Sousa Gonçalves'),
  },
  {
    key: 'punjabi',
    language: 'Punjabi',
    weight: 3,
    girls: words('Simran Harleen Jasleen Gurleen Manreet Amrit'),
    boys: words('Arjun Gurveer Harjot Ranveer Jasraj Ekam'),
    women: words('Harpreet Manpreet Jaspreet Kiran Rajwinder Navdeep'),
    men: words('Gurpreet Harjit Sukhwinder Balvinder Kuldeep Jaswinder'),
    surnames: words('Sandhu Gill Sidhu Dhillon Bains Johal Grewal Sahota'),
  },
  {
    key: 'ukrainian',
    language: 'Ukrainian',
    weight: 2,
    girls: words('Sofiia Anastasiia Solomiia Zlata Mariia Veronika'),
    boys: words('Maksym Artem Bohdan Oleksandr Danylo Mykhailo'),
    women: words('Olena Iryna Tetiana Oksana Nataliia Yuliia'),
    men: words('Andrii Serhii Oleh Volodymyr Dmytro Vasyl'),
    surnames: words('Shevchenko Bondarenko Kovalenko Tkachenko Melnyk Kravchenko Oliinyk Lysenko'),
  },
];

/** Names a child often goes by at school. */
export const PREFERRED_NAMES: Readonly<Record<string, string>> = {
  Jakub: 'Kuba',
  Aleksandra: 'Ola',
  Aleksander: 'Olek',
  Zuzanna: 'Zuzia',
  Franciszek: 'Franek',
  Wojciech: 'Wojtek',
  Isabella: 'Izzy',
  Matilda: 'Tilly',
  Florence: 'Flo',
  Oliver: 'Ollie',
  Theodore: 'Theo',
  Abdirahman: 'Abdi',
  Oleksandr: 'Sasha',
  Oluwatobi: 'Tobi',
  Muhammad: 'Mo',
  Alexander: 'Alex',
};

/** Email-safe letters: 'Zoë' → 'zoe', 'Łukasz' → 'lukasz', "O'Brien-Smith" → 'obrien-smith'. */
export function asciiFold(name: string): string {
  return name
    .replace(/[łŁ]/g, 'l')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '');
}
