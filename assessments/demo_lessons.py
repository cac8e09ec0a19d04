"""The demo program's two lessons-learned records, one positive and one negative, in four languages (pure)."""
from training.demo_data import GROUP_WORK, MEMBER_COUNTRIES, texts

# Session 2's country clusters: the delegations the peer-network lesson is about.
CLUSTER_COUNTRIES = [code for _name, countries, _perspective in GROUP_WORK["S2"]["groups"] for code in countries]

AREA = texts("Migración laboral e inclusión laboral", "Labour migration and labour inclusion",
             "Migration de main-d'œuvre et insertion professionnelle", "Migração laboral e inclusão laboral")
GOALS = texts(
    "Fortalecer las capacidades de las personas consejeras de empleo de los Países Miembros de la CRM para "
    "identificar los perfiles ocupacionales de la población migrante, desde una perspectiva de derechos humanos, "
    "género e inclusión, y promover el intercambio de buenas prácticas entre países.",
    "Strengthen the capacities of employment counselors in RCM Member Countries to identify migrants' occupational "
    "profiles, from a human-rights, gender and inclusion perspective, and promote the exchange of good practices "
    "between countries.",
    "Renforcer les capacités des conseillères et conseillers d'emploi des Pays membres de la CRM à identifier les "
    "profils professionnels des personnes migrantes, dans une perspective de droits humains, de genre et "
    "d'inclusion, et favoriser l'échange de bonnes pratiques entre pays.",
    "Fortalecer as capacidades das conselheiras e dos conselheiros de emprego dos Países Membros da CRM para "
    "identificar os perfis ocupacionais da população migrante, a partir de uma perspectiva de direitos humanos, "
    "gênero e inclusão, e promover o intercâmbio de boas práticas entre países.")
BENEFICIARIES = texts(
    "Personas consejeras de empleo, inspectoras de trabajo, enlaces con empleadores y personal de formación técnica "
    "y de homologación designados por los Países Miembros de la CRM; y, a través de ellas, las personas "
    "trabajadoras migrantes que atienden los servicios de empleo.",
    "Employment counselors, labour inspectors, employer liaison officers and vocational training and credential "
    "recognition staff nominated by RCM Member Countries; and, through them, the migrant workers the employment "
    "services serve.",
    "Conseillères et conseillers d'emploi, inspectrices et inspecteurs du travail, agents de liaison avec les "
    "employeurs et personnel de la formation professionnelle et de la reconnaissance des diplômes désignés par les "
    "Pays membres de la CRM ; et, à travers eux, les travailleuses et travailleurs migrants que les services de "
    "l'emploi accompagnent.",
    "Conselheiras e conselheiros de emprego, inspetoras e inspetores do trabalho, pessoas de ligação com "
    "empregadores e pessoal de formação técnica e de reconhecimento de diplomas indicados pelos Países Membros da "
    "CRM; e, por meio deles, as pessoas trabalhadoras migrantes atendidas pelos serviços de emprego.")
ACTORS = texts(
    "Gobierno: ministerios de trabajo y servicios nacionales de empleo de los Países Miembros. Organismos "
    "internacionales: Secretaría Técnica de la CRM, OIM y OIT. ONG: Red Regional de Organizaciones Civiles para las "
    "Migraciones (RROCM), como observadora.",
    "Government: ministries of labour and national employment services of the Member Countries. International "
    "organizations: RCM Technical Secretariat, IOM and ILO. NGO: Regional Network of Civil Organizations for "
    "Migration (RROCM), as an observer.",
    "Gouvernement : ministères du travail et services nationaux de l'emploi des Pays membres. Organisations "
    "internationales : Secrétariat technique de la CRM, OIM et OIT. ONG : Réseau régional d'organisations civiles "
    "pour les migrations (RROCM), en tant qu'observateur.",
    "Governo: ministérios do trabalho e serviços nacionais de emprego dos Países Membros. Organismos "
    "internacionais: Secretaria Técnica da CRM, OIM e OIT. ONG: Rede Regional de Organizações Civis para as "
    "Migrações (RROCM), como observadora.")

PEER_NETWORKS = {
    "code": "LA1_CRM", "kind": "positive", "shared": True,
    "sdgs": [4, 8, 10, 17], "gcm_principles": ["a", "b", "i", "j"], "gcm_objectives": [6, 7, 18, 23],
    "countries": CLUSTER_COUNTRIES,
    "area": AREA, "goals": GOALS, "beneficiaries": BENEFICIARIES, "actors": ACTORS,
    "finding": texts(
        "El trabajo en grupos por bloques de países creó una red de personas consejeras de empleo entre "
        "delegaciones que siguió activa después del programa.",
        "Group work by country clusters created a network of employment counselors across delegations that stayed "
        "active after the program.",
        "Le travail en groupe par ensembles de pays a créé entre les délégations un réseau de conseillères et "
        "conseillers d'emploi resté actif après le programme.",
        "O trabalho em grupo por blocos de países criou uma rede de conselheiras e conselheiros de emprego entre "
        "delegações que continuou ativa depois do programa."),
    "description": texts(
        "Reunir a personas de países vecinos para analizar sus capacidades y áreas de oportunidad, y luego un mismo "
        "caso desde cuatro perspectivas, generó contactos de trabajo entre servicios de empleo que se usan para "
        "referir casos y compartir herramientas.",
        "Bringing people from neighbouring countries together to analyse their capacities and areas of opportunity, "
        "and then one case from four perspectives, built working contacts between employment services that are used "
        "to refer cases and share tools.",
        "Réunir des personnes de pays voisins pour analyser leurs capacités et leurs pistes d'amélioration, puis un "
        "même cas selon quatre perspectives, a créé entre services de l'emploi des contacts de travail qui servent à "
        "orienter des cas et à partager des outils.",
        "Reunir pessoas de países vizinhos para analisar suas capacidades e oportunidades de melhoria, e depois um "
        "mesmo caso a partir de quatro perspectivas, gerou contatos de trabalho entre serviços de emprego que são "
        "usados para encaminhar casos e compartilhar ferramentas."),
    "context": texts(
        "Tres sesiones virtuales de dos horas y dos cursos en línea. En la sesión 2 se trabajó por bloques de países "
        "(Belice, Costa Rica, México, Panamá y República Dominicana; Guatemala, El Salvador, Honduras y Nicaragua) y "
        "en la sesión 3 por perspectivas (protección, inclusión laboral, gobernanza, empleabilidad). Cada país "
        "designó hasta diez personas, con interpretación inglés-español.",
        "Three two-hour virtual sessions and two online courses. Session 2 worked in country clusters (Belize, Costa "
        "Rica, Mexico, Panama and the Dominican Republic; Guatemala, El Salvador, Honduras and Nicaragua) and "
        "session 3 by perspective (protection, labour inclusion, governance, employability). Each country nominated "
        "up to ten people, with English-Spanish interpretation.",
        "Trois séances virtuelles de deux heures et deux cours en ligne. La séance 2 a travaillé par ensembles de "
        "pays (Belize, Costa Rica, Mexique, Panama et République dominicaine ; Guatemala, El Salvador, Honduras et "
        "Nicaragua) et la séance 3 par perspective (protection, insertion professionnelle, gouvernance, "
        "employabilité). Chaque pays a désigné jusqu'à dix personnes, avec interprétation anglais-espagnol.",
        "Três sessões virtuais de duas horas e dois cursos on-line. Na sessão 2 trabalhou-se por blocos de países "
        "(Belize, Costa Rica, México, Panamá e República Dominicana; Guatemala, El Salvador, Honduras e Nicarágua) e "
        "na sessão 3 por perspectivas (proteção, inclusão laboral, governança, empregabilidade). Cada país indicou "
        "até dez pessoas, com interpretação inglês-espanhol."),
    "successes": texts(
        "Las conclusiones de los grupos señalaron capacidades comunes y áreas de oportunidad compartidas "
        "(homologación de competencias, vinculación con empleadores). En el cuestionario de seguimiento, muchas "
        "personas dicen seguir en contacto con colegas de otros países y cuentan referencias de casos entre "
        "servicios.",
        "The groups' conclusions identified common capacities and shared areas of opportunity (skills recognition, "
        "links with employers). In the follow-up questionnaire, many say they are still in touch with colleagues "
        "from other countries and describe cases referred between services.",
        "Les conclusions des groupes ont fait ressortir des capacités communes et des pistes d'amélioration "
        "partagées (reconnaissance des compétences, liens avec les employeurs). Dans le questionnaire de suivi, "
        "beaucoup disent être restés en contact avec des collègues d'autres pays et citent des cas orientés d'un "
        "service à l'autre.",
        "As conclusões dos grupos apontaram capacidades comuns e oportunidades de melhoria compartilhadas "
        "(reconhecimento de competências, vínculo com empregadores). No questionário de acompanhamento, muitas "
        "pessoas dizem continuar em contato com colegas de outros países e relatam casos encaminhados entre "
        "serviços."),
    "challenges": texts(
        "Treinta minutos por sesión son poco para que los grupos se conozcan; la red depende de que las personas "
        "sigan en su puesto y de que sus instituciones les permitan coordinarse con otros países.",
        "Thirty minutes per session is little time for groups to get to know each other; the network depends on "
        "people staying in their posts and on their institutions letting them coordinate with other countries.",
        "Trente minutes par séance, c'est peu pour que les groupes apprennent à se connaître ; le réseau dépend du "
        "maintien des personnes à leur poste et de l'autorisation de leurs institutions à se coordonner avec "
        "d'autres pays.",
        "Trinta minutos por sessão é pouco para que os grupos se conheçam; a rede depende de as pessoas "
        "continuarem em seus cargos e de suas instituições permitirem a coordenação com outros países."),
    "learned": texts(
        "LA1_CRM: Organizar el trabajo en grupos por bloques de países vecinos y dejar a cada grupo una lista de "
        "contactos convierte una capacitación virtual en una red de referencia entre servicios de empleo.",
        "LA1_CRM: Organizing group work by clusters of neighbouring countries, and leaving each group a contact list, "
        "turns a virtual training into a referral network between employment services.",
        "LA1_CRM : Organiser le travail en groupe par ensembles de pays voisins, et laisser à chaque groupe une liste "
        "de contacts, transforme une formation virtuelle en réseau d'orientation entre services de l'emploi.",
        "LA1_CRM: Organizar o trabalho em grupo por blocos de países vizinhos, e deixar a cada grupo uma lista de "
        "contatos, transforma uma capacitação virtual em uma rede de encaminhamento entre serviços de emprego."),
    "not_learned": texts(
        "No se previó desde el inicio quién mantendría la red después del programa: queda en manos de las propias "
        "personas participantes.",
        "Nobody was planned from the start to keep the network going after the program: it is left to the "
        "participants themselves.",
        "Personne n'a été prévu dès le départ pour faire vivre le réseau après le programme : il repose sur les "
        "personnes participantes elles-mêmes.",
        "Não se previu desde o início quem manteria a rede depois do programa: ela fica a cargo das próprias "
        "pessoas participantes."),
    "territory": texts(
        "Belice, Costa Rica, México, Panamá, República Dominicana, Guatemala, El Salvador, Honduras y Nicaragua "
        "(modalidad virtual).",
        "Belize, Costa Rica, Mexico, Panama, the Dominican Republic, Guatemala, El Salvador, Honduras and Nicaragua "
        "(online).",
        "Belize, Costa Rica, Mexique, Panama, République dominicaine, Guatemala, El Salvador, Honduras et Nicaragua "
        "(à distance).",
        "Belize, Costa Rica, México, Panamá, República Dominicana, Guatemala, El Salvador, Honduras e Nicarágua "
        "(modalidade virtual)."),
    "added_value": texts(
        "La CRM y la OIM reúnen a servicios de empleo de toda la región en un mismo espacio; ningún país por sí "
        "solo puede ofrecer contactos de trabajo con sus pares de los países vecinos.",
        "The RCM and IOM bring employment services from the whole region into one space; no country alone can offer "
        "working contacts with its peers in neighbouring countries.",
        "La CRM et l'OIM réunissent les services de l'emploi de toute la région dans un même espace ; aucun pays ne "
        "peut à lui seul offrir des contacts de travail avec ses homologues des pays voisins.",
        "A CRM e a OIM reúnem serviços de emprego de toda a região em um mesmo espaço; nenhum país sozinho pode "
        "oferecer contatos de trabalho com seus pares dos países vizinhos."),
    "effectiveness": texts(
        "Efectiva en el corto plazo: los contactos se usan en las semanas siguientes. Su permanencia en el mediano "
        "plazo no está medida y depende de la rotación del personal.",
        "Effective in the short term: the contacts are used in the following weeks. Whether they last in the medium "
        "term is not measured and depends on staff turnover.",
        "Efficace à court terme : les contacts servent dans les semaines qui suivent. Leur durée à moyen terme n'est "
        "pas mesurée et dépend de la rotation du personnel.",
        "Efetiva no curto prazo: os contatos são usados nas semanas seguintes. Sua permanência no médio prazo não é "
        "medida e depende da rotatividade do pessoal."),
    "important": texts(
        "Es importante porque la atención a personas trabajadoras migrantes cruza fronteras: un caso que empieza en "
        "un país suele continuar en otro.",
        "It matters because serving migrant workers crosses borders: a case that starts in one country often "
        "continues in another.",
        "C'est important parce que l'accompagnement des travailleuses et travailleurs migrants traverse les "
        "frontières : un cas qui commence dans un pays se poursuit souvent dans un autre.",
        "É importante porque o atendimento a pessoas trabalhadoras migrantes atravessa fronteiras: um caso que "
        "começa em um país costuma continuar em outro."),
    "useful": texts(
        "Es útil para referir casos, comparar procedimientos y conseguir información sobre empleadores y "
        "requisitos de otros países.",
        "It is useful for referring cases, comparing procedures and getting information on employers and "
        "requirements in other countries.",
        "C'est utile pour orienter des cas, comparer les procédures et obtenir des informations sur les employeurs "
        "et les exigences d'autres pays.",
        "É útil para encaminhar casos, comparar procedimentos e obter informações sobre empregadores e requisitos "
        "de outros países."),
    "equitable": texts(
        "Parcialmente: las delegaciones con menos personas (Nicaragua envió siete) y quienes no dominan el inglés o "
        "el español tienen menos contactos en la red.",
        "Partly: delegations with fewer people (Nicaragua sent seven) and those who are not fluent in English or "
        "Spanish have fewer contacts in the network.",
        "En partie : les délégations moins nombreuses (le Nicaragua a envoyé sept personnes) et celles et ceux qui ne "
        "maîtrisent ni l'anglais ni l'espagnol ont moins de contacts dans le réseau.",
        "Parcialmente: as delegações com menos pessoas (a Nicarágua enviou sete) e quem não domina o inglês ou o "
        "espanhol têm menos contatos na rede."),
    "economic": texts(
        "Sin costo adicional: el trabajo en grupos usa las mismas sesiones virtuales y la interpretación ya "
        "contratada.",
        "No additional cost: the group work uses the same virtual sessions and the interpretation already hired.",
        "Sans coût supplémentaire : le travail en groupe utilise les mêmes séances virtuelles et l'interprétation "
        "déjà prévue.",
        "Sem custo adicional: o trabalho em grupo usa as mesmas sessões virtuais e a interpretação já contratada."),
    "keywords": texts("Red de apoyo, Trabajo en grupos, Cooperación regional, Referencia de casos",
                      "Support network, Group work, Regional cooperation, Case referral",
                      "Réseau d'entraide, Travail en groupe, Coopération régionale, Orientation des cas",
                      "Rede de apoio, Trabalho em grupo, Cooperação regional, Encaminhamento de casos"),
}

TIME_ZONES = {
    "code": "LA2_CRM", "kind": "negative", "shared": False,
    "sdgs": [4, 9, 10, 17], "gcm_principles": ["a", "b", "i"], "gcm_objectives": [18, 23],
    "countries": list(MEMBER_COUNTRIES),
    "area": texts("Fortalecimiento de capacidades en modalidad virtual", "Online capacity building",
                  "Renforcement des capacités à distance", "Fortalecimento de capacidades na modalidade virtual"),
    "goals": GOALS, "beneficiaries": BENEFICIARIES, "actors": ACTORS,
    "finding": texts(
        "Las sesiones en vivo en horario de Ciudad de México y una conectividad desigual limitaron la participación "
        "completa: llegadas tarde, conexiones caídas y evaluaciones sin terminar.",
        "Live sessions on Mexico City time and uneven connectivity limited full participation: late arrivals, "
        "dropped connections and unfinished assessments.",
        "Des séances en direct à l'heure de Mexico et une connectivité inégale ont limité la pleine participation : "
        "arrivées tardives, connexions interrompues et évaluations inachevées.",
        "Sessões ao vivo no horário da Cidade do México e uma conectividade desigual limitaram a participação "
        "plena: atrasos, conexões caídas e avaliações não concluídas."),
    "description": texts(
        "Las tres sesiones se dieron de 14:00 a 16:00 (hora de Ciudad de México), al final de la jornada en el "
        "Caribe y al mediodía en la costa del Pacífico. Quien se conectaba desde oficinas con internet inestable "
        "perdía partes de la sesión o la evaluación, y el certificado exige asistir a todas las actividades.",
        "The three sessions ran from 14:00 to 16:00 (Mexico City time), at the end of the working day in the "
        "Caribbean and at midday on the Pacific coast. People connecting from offices with unstable internet missed "
        "parts of a session or the assessment, and the certificate requires attending every activity.",
        "Les trois séances ont eu lieu de 14 h à 16 h (heure de Mexico), en fin de journée de travail dans les "
        "Caraïbes et à midi sur la côte du Pacifique. Les personnes connectées depuis des bureaux à l'internet "
        "instable ont manqué une partie d'une séance ou l'évaluation, et le certificat exige la présence à toutes "
        "les activités.",
        "As três sessões foram das 14h às 16h (horário da Cidade do México), no fim do expediente no Caribe e ao "
        "meio-dia na costa do Pacífico. Quem se conectava de escritórios com internet instável perdia partes da "
        "sessão ou da avaliação, e o certificado exige a presença em todas as atividades."),
    "context": texts(
        "Programa totalmente virtual (Zoom y la plataforma E-Campus de la OIM) para once Países Miembros repartidos "
        "en varios husos horarios, de Canadá y Estados Unidos a Panamá y República Dominicana, con evaluación previa "
        "al inicio de la sesión 1 y evaluación posterior al final de la sesión 3.",
        "A fully online program (Zoom and IOM's E-Campus platform) for eleven Member Countries spread over several "
        "time zones, from Canada and the United States to Panama and the Dominican Republic, with the pre-test at "
        "the start of session 1 and the post-test at the end of session 3.",
        "Un programme entièrement à distance (Zoom et la plateforme E-Campus de l'OIM) pour onze Pays membres "
        "répartis sur plusieurs fuseaux horaires, du Canada et des États-Unis au Panama et à la République "
        "dominicaine, avec le pré-test au début de la séance 1 et le post-test à la fin de la séance 3.",
        "Um programa totalmente virtual (Zoom e a plataforma E-Campus da OIM) para onze Países Membros distribuídos "
        "em vários fusos horários, do Canadá e dos Estados Unidos ao Panamá e à República Dominicana, com o "
        "pré-teste no início da sessão 1 e o pós-teste no fim da sessão 3."),
    "successes": texts(
        "Las grabaciones en E-Campus y los enlaces personales permitieron recuperar contenidos y responder las "
        "evaluaciones fuera del horario de la sesión; el registro de asistencia mostró a tiempo quién faltaba.",
        "Recordings on E-Campus and personal links let people catch up on content and answer the assessments "
        "outside session hours; the attendance record showed in time who was missing.",
        "Les enregistrements sur E-Campus et les liens personnels ont permis de rattraper les contenus et de "
        "répondre aux évaluations en dehors des séances ; le registre des présences a montré à temps qui manquait.",
        "As gravações no E-Campus e os links pessoais permitiram recuperar conteúdos e responder às avaliações fora "
        "do horário da sessão; o registro de presença mostrou a tempo quem estava faltando."),
    "challenges": texts(
        "Algunas evaluaciones previas quedaron a medias por cortes de conexión y no se retomaron; menos personas "
        "respondieron la evaluación posterior que la previa, lo que limita la comparación; hubo ausencias y "
        "llegadas tarde que dejaron a personas sin certificado.",
        "Some pre-tests were left half done after dropped connections and never resumed; fewer people answered the "
        "post-test than the pre-test, which limits the comparison; absences and late arrivals left some people "
        "without a certificate.",
        "Certains pré-tests sont restés inachevés après des coupures de connexion et n'ont jamais été repris ; moins "
        "de personnes ont répondu au post-test qu'au pré-test, ce qui limite la comparaison ; des absences et des "
        "retards ont privé certaines personnes de certificat.",
        "Alguns pré-testes ficaram pela metade por quedas de conexão e não foram retomados; menos pessoas "
        "responderam ao pós-teste do que ao pré-teste, o que limita a comparação; ausências e atrasos deixaram "
        "algumas pessoas sem certificado."),
    "learned": texts(
        "LA2_CRM: En programas virtuales regionales conviene acordar el horario con todas las delegaciones, abrir las "
        "evaluaciones por enlace personal durante varios días y ofrecer una alternativa asíncrona que cuente para el "
        "certificado.",
        "LA2_CRM: In regional online programs, agree the schedule with every delegation, keep the assessments open "
        "through personal links for several days, and offer an asynchronous alternative that counts towards the "
        "certificate.",
        "LA2_CRM : Dans les programmes régionaux à distance, il convient de fixer l'horaire avec toutes les "
        "délégations, de laisser les évaluations ouvertes par lien personnel pendant plusieurs jours et de proposer "
        "une solution asynchrone qui compte pour le certificat.",
        "LA2_CRM: Em programas virtuais regionais, convém combinar o horário com todas as delegações, manter as "
        "avaliações abertas por link pessoal durante vários dias e oferecer uma alternativa assíncrona que conte "
        "para o certificado."),
    "not_learned": texts(
        "Se repitió el esquema de una sola franja horaria y de evaluaciones dentro de la sesión, sin consultar antes "
        "a los puntos focales sobre horarios y conectividad.",
        "The single time slot and in-session assessments were repeated without first asking focal points about "
        "schedules and connectivity.",
        "Le créneau horaire unique et les évaluations pendant la séance ont été reconduits sans consulter au "
        "préalable les points focaux sur les horaires et la connectivité.",
        "Repetiu-se o esquema de um único horário e de avaliações dentro da sessão, sem consultar antes os pontos "
        "focais sobre horários e conectividade."),
    "territory": texts(
        "Los once Países Miembros de la CRM: Belice, Canadá, Costa Rica, El Salvador, Estados Unidos, Guatemala, "
        "Honduras, México, Nicaragua, Panamá y República Dominicana (modalidad virtual).",
        "The eleven RCM Member Countries: Belize, Canada, Costa Rica, El Salvador, the United States, Guatemala, "
        "Honduras, Mexico, Nicaragua, Panama and the Dominican Republic (online).",
        "Les onze Pays membres de la CRM : Belize, Canada, Costa Rica, El Salvador, États-Unis, Guatemala, Honduras, "
        "Mexique, Nicaragua, Panama et République dominicaine (à distance).",
        "Os onze Países Membros da CRM: Belize, Canadá, Costa Rica, El Salvador, Estados Unidos, Guatemala, "
        "Honduras, México, Nicarágua, Panamá e República Dominicana (modalidade virtual)."),
    "added_value": texts(
        "La OIM aporta la plataforma E-Campus, donde quedan las grabaciones y los cursos, y la experiencia de "
        "programas regionales a distancia; falta aprovecharla para diseñar la participación asíncrona.",
        "IOM brings the E-Campus platform, where the recordings and courses stay, and its experience of regional "
        "online programs; it remains to be used to design asynchronous participation.",
        "L'OIM apporte la plateforme E-Campus, où restent les enregistrements et les cours, et son expérience des "
        "programmes régionaux à distance ; il reste à s'en servir pour concevoir une participation asynchrone.",
        "A OIM traz a plataforma E-Campus, onde ficam as gravações e os cursos, e a experiência de programas "
        "regionais a distância; falta aproveitá-la para desenhar a participação assíncrona."),
    "effectiveness": texts(
        "Baja para quienes se conectaban fuera de su horario laboral o con mala conexión: son quienes más faltan "
        "en la comparación entre evaluaciones y en los certificados.",
        "Low for those connecting outside their working hours or with a poor connection: they are the ones most "
        "often missing from the comparison between assessments and from the certificates.",
        "Faible pour les personnes connectées en dehors de leurs heures de travail ou avec une mauvaise connexion : "
        "ce sont elles qui manquent le plus dans la comparaison des évaluations et parmi les certificats.",
        "Baixa para quem se conectava fora do horário de trabalho ou com conexão ruim: são as pessoas que mais "
        "faltam na comparação entre avaliações e nos certificados."),
    "important": texts(
        "Es importante porque quien no completa el programa no cuenta en sus resultados: los datos de impacto "
        "representan sobre todo a quienes tuvieron buen horario y buena conexión.",
        "It matters because those who do not complete the program do not count in its results: the impact figures "
        "mostly represent those with a convenient schedule and a good connection.",
        "C'est important parce que celles et ceux qui n'achèvent pas le programme ne comptent pas dans ses "
        "résultats : les chiffres d'impact représentent surtout les personnes qui avaient un horaire commode et une "
        "bonne connexion.",
        "É importante porque quem não conclui o programa não conta nos seus resultados: os dados de impacto "
        "representam sobretudo quem teve um bom horário e uma boa conexão."),
    "useful": texts(
        "Es útil para planificar el próximo ciclo: horarios, duración de las sesiones y ventanas de las "
        "evaluaciones.",
        "It is useful for planning the next cycle: schedules, session length and assessment windows.",
        "C'est utile pour préparer le prochain cycle : horaires, durée des séances et périodes d'ouverture des "
        "évaluations.",
        "É útil para planejar o próximo ciclo: horários, duração das sessões e prazos das avaliações."),
    "equitable": texts(
        "No: la franja horaria y la conectividad afectan más a las oficinas locales y a los países más alejados del "
        "huso de Ciudad de México.",
        "No: the time slot and connectivity weigh more on local offices and on countries further from Mexico City's "
        "time zone.",
        "Non : le créneau horaire et la connectivité pèsent davantage sur les bureaux locaux et sur les pays les plus "
        "éloignés du fuseau de Mexico.",
        "Não: o horário e a conectividade afetam mais os escritórios locais e os países mais distantes do fuso da "
        "Cidade do México."),
    "economic": texts(
        "Cada persona que no completa el programa es una plaza financiada sin resultado; grabar y abrir las "
        "evaluaciones más días cuesta poco en comparación.",
        "Each person who does not complete the program is a funded place without a result; recording sessions and "
        "opening the assessments for more days costs little in comparison.",
        "Chaque personne qui n'achève pas le programme est une place financée sans résultat ; enregistrer les "
        "séances et ouvrir les évaluations plus longtemps coûte peu en comparaison.",
        "Cada pessoa que não conclui o programa é uma vaga financiada sem resultado; gravar as sessões e abrir as "
        "avaliações por mais dias custa pouco em comparação."),
    "keywords": texts("Husos horarios, Conectividad, Modalidad virtual, Participación, Evaluación",
                      "Time zones, Connectivity, Online training, Participation, Assessment",
                      "Fuseaux horaires, Connectivité, Formation à distance, Participation, Évaluation",
                      "Fusos horários, Conectividade, Modalidade virtual, Participação, Avaliação"),
}

LESSONS = (PEER_NETWORKS, TIME_ZONES)
