"""Fixed labels of the PDF reports in English, French and Arabic, and number formats.

Questionnaire texts (dimension titles, questions, answers) arrive already localised
in the report model; this catalogue covers only the report's own wording. Every
language has exactly the same keys (a unit test checks it); ``{name}`` placeholders
are filled with ``str.format`` and the result is HTML-escaped by the templates.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date

from benchmark.scoring.peers import band_bounds

FALLBACK = "en"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})

EN: dict[str, str] = {
    "app_name": "City Benchmark",
    "colon": ":",
    "report_title": "Inclusion policy benchmark report",
    "network_report_title": "Network benchmark report",
    "edition": "Questionnaire edition",
    "edition_short": "Edition",
    "round": "Round",
    "country": "Country",
    "report_date": "Report date",
    "data_date": "Data as of",
    "status": "Status",
    "status_draft": "Draft",
    "status_submitted": "Submitted for review",
    "status_returned": "Returned for changes",
    "status_validated": "Validated",
    "watermark": "PROVISIONAL",
    "provisional_note": "Provisional: these scores rest on answers that programme staff "
                        "have not validated yet, and may still change.",
    "contents": "Contents",
    "page": "Page",
    "page_of": "of",
    "summary": "Summary",
    "overall_index": "Overall index",
    "index": "Index",
    "index_scale": "0 to 100",
    "network_average": "Network average",
    "peer_average": "Peer-group average",
    "n_cities": "n = {n}",
    "n": "n",
    "peer_group": "Peer group",
    "withheld": "not shown",
    "withheld_k_anonymity": "not shown: fewer than {k} cities",
    "withheld_no_data": "no data",
    "percentile": "Percentile in the network",
    "rank_band": "Position in the network",
    "rank_top_quartile": "Top quartile",
    "rank_second_quartile": "Second quartile (above the median)",
    "rank_third_quartile": "Third quartile (below the median)",
    "rank_bottom_quartile": "Bottom quartile",
    "change_since": "Change since round {round}",
    "change_comparable": "compared on the questions common to both editions",
    "no_previous_round": "No earlier round to compare with.",
    "above_average": "Furthest above the network average",
    "below_average": "Furthest below the network average",
    "none_above": "No dimension is above the network average.",
    "none_below": "No dimension is below the network average.",
    "crossings": "Crossings of the network average since the last round",
    "crossed_above": "{dimension}: now above the network average",
    "crossed_below": "{dimension}: now below the network average",
    "profile": "Profile by dimension",
    "radar_caption": "Index of each dimension (0 to 100) for {city}, with the network "
                     "average and the peer-group average. The values are in the table "
                     "of the next section.",
    "radar_alt": "Radar chart of the index of each dimension for {city}, the network "
                 "average and the peer-group average",
    "dimension": "Dimension",
    "difference": "Difference from the network average",
    "difference_short": "Difference",
    "results_by_dimension": "Results by dimension",
    "question": "Question",
    "answer": "Answer",
    "points": "Points",
    "network_share": "Network cities with full points",
    "evidence": "Evidence",
    "comment": "Reviewer's comment",
    "no_answer": "No answer",
    "q_not_applicable": "Not applicable",
    "q_hidden": "Not asked (skip logic)",
    "q_unscored": "Not scored",
    "q_unanswered": "Not answered (0 points)",
    "no_index": "no index",
    "no_questions": "No questions in this dimension.",
    "peers_to_learn_from": "Peers to learn from",
    "trends": "Trends over rounds",
    "trend_caption": "Overall index and dimension indices of {city} in each round.",
    "trend_alt": "Line chart of the indices of {city} over rounds",
    "comparable_note": "Rounds marked * were answered on another edition of the "
                       "questionnaire: across editions only the comparable subset of "
                       "questions mapped between them is compared.",
    "no_trends": "Trends appear once the city has completed two rounds.",
    "comparable": "Comparable subset",
    "yes": "yes",
    "no": "no",
    "priorities": "Improvement priorities",
    "priorities_intro": "Questions where full points would raise the overall index most.",
    "potential_gain": "Potential gain (overall index points)",
    "no_priorities": "No improvement priorities: every scored question has full points.",
    "peers_intro": "Cities of the network with the highest index in each dimension.",
    "no_peers": "No peers to suggest for this dimension.",
    "practices_heading": "What other cities do",
    "practices_intro": (
        "Published good practices of other cities answering your priority "
        "questions: first cities with full points on the question, then cities "
        "of your size or diversity group, then the newest."
    ),
    "practice_original": "not translated: original text",
    "methodology": "Methodology",
    "method_index": "Each scored question gives points: the points of the chosen option, "
                    "of the band containing the number, or a linear scale between a "
                    "minimum and a maximum. A dimension's index is 100 times the weighted "
                    "average, over its included questions, of points achieved divided by "
                    "the maximum points. Questions that are not scored, answered \u201cnot "
                    "applicable\u201d or not asked because of an earlier answer are "
                    "excluded; an unanswered question counts as 0 points in a draft.",
    "method_overall": "The overall index is the weighted average of the dimension "
                      "indices, over the dimensions that have an index.",
    "method_network": "The network average of a dimension is the mean of that index over "
                      "the latest validated assessment of each city on the same edition "
                      "({n} cities for this report).",
    "method_peer": "The peer group gathers cities of similar population and share of "
                   "foreign-born residents ({group}). Its average counts the city itself "
                   "and is shown only when the group has at least {k} cities "
                   "(k-anonymity rule), so that no city's scores can be deduced.",
    "method_sample": "The number of cities behind each average (n) is given next to it.",
    "method_rounding": "Indices are computed unrounded and shown with one decimal.",
    "method_provisional": "Scores of an assessment that is not yet validated are "
                          "provisional and marked so on every page.",
    "method_trends": "Across editions, only questions mapped to an earlier edition are "
                     "compared (the comparable subset).",
    "method_edition": "{title}, edition {version} ({questions} questions in {dimensions} "
                      "dimensions)",
    "method_data": "Data as of {date}.",
    "k_rule": "k-anonymity threshold",
    "distributions": "Distribution of indices in the network",
    "distribution_caption": "Box plots: the box spans the first to the third quartile, the "
                            "line inside it is the median, the whiskers reach the minimum "
                            "and maximum and the diamond marks the mean.",
    "distribution_alt": "Box plots of each dimension index across the network",
    "mean": "Mean",
    "minimum": "Min.",
    "q1": "Q1",
    "median": "Median",
    "q3": "Q3",
    "maximum": "Max.",
    "cities": "Cities",
    "city": "City",
    "cities_heading": "Indices of the cities",
    "dimension_key": "Dimension codes",
    "dimension_code": "D{n}",
    "changes_since_edition": "Change since edition {version}",
    "previous_mean": "Mean, edition {version}",
    "no_edition_changes": "No earlier edition to compare with.",
    "network_summary": "{n} cities have a validated assessment on this edition.",
    # comparison groups (size, diversity) and ranks
    "groups_title": "Rank among similar cities",
    "group_network": "Whole network",
    "group_size": "Cities of similar size ({band})",
    "group_diversity": "Cities of similar diversity ({band})",
    "group_average": "Group average",
    "group_rank": "Rank",
    "rank_of": "{rank} of {n}",
    "rank_ties": "Tied cities share the best rank of their tie (1, 2, 2, 4).",
    "withheld_no_group": "no group: population or foreign-born share unknown",
    "pop_under": "under {high} inhabitants",
    "pop_between": "{low}\u2013{high} inhabitants",
    "pop_over": "{low} inhabitants or more",
    "fb_under": "under {high}\u00a0% foreign-born",
    "fb_between": "{low}\u2013{high}\u00a0% foreign-born",
    "fb_over": "{low}\u00a0% or more foreign-born",
    # side-by-side comparison
    "comparison_title": "Cities side by side",
    "comparison_cities": "Compared cities (latest validated round on the edition)",
    "no_validated_round": "no validated round",
    "comparison_radar_caption": "Dimension indices of each city (0 to 100); each city has its own line "
                                "style and marker. The values are in the table that follows.",
    "comparison_indices": "Indices by dimension",
    "comparison_questions": "Where the cities differ most",
    "comparison_questions_intro": "The questions with the largest gap between the cities' shares of the "
                                  "maximum points.",
    "points_share": "Share of the points",
}

FR: dict[str, str] = {
    "app_name": "City Benchmark",
    "colon": "\u00a0:",  # French puts a (no-break) space before a colon
    "report_title": "Rapport d\u2019évaluation comparative des politiques d\u2019inclusion",
    "network_report_title": "Rapport comparatif du réseau",
    "edition": "Édition du questionnaire",
    "edition_short": "Édition",
    "round": "Cycle",
    "country": "Pays",
    "report_date": "Date du rapport",
    "data_date": "Données au",
    "status": "Statut",
    "status_draft": "Brouillon",
    "status_submitted": "Soumis pour examen",
    "status_returned": "Renvoyé pour modifications",
    "status_validated": "Validé",
    "watermark": "PROVISOIRE",
    "provisional_note": "Provisoire : ces scores reposent sur des réponses que l\u2019équipe "
                        "du programme n\u2019a pas encore validées et peuvent encore changer.",
    "contents": "Sommaire",
    "page": "Page",
    "page_of": "sur",
    "summary": "Synthèse",
    "overall_index": "Indice global",
    "index": "Indice",
    "index_scale": "de 0 à 100",
    "network_average": "Moyenne du réseau",
    "peer_average": "Moyenne du groupe de pairs",
    "n_cities": "n = {n}",
    "n": "n",
    "peer_group": "Groupe de pairs",
    "withheld": "non communiquée",
    "withheld_k_anonymity": "non communiquée : moins de {k} villes",
    "withheld_no_data": "pas de données",
    "percentile": "Centile dans le réseau",
    "rank_band": "Position dans le réseau",
    "rank_top_quartile": "Quartile supérieur",
    "rank_second_quartile": "Deuxième quartile (au-dessus de la médiane)",
    "rank_third_quartile": "Troisième quartile (en dessous de la médiane)",
    "rank_bottom_quartile": "Quartile inférieur",
    "change_since": "Évolution depuis le cycle {round}",
    "change_comparable": "comparaison sur les questions communes aux deux éditions",
    "no_previous_round": "Aucun cycle antérieur pour comparer.",
    "above_average": "Les plus au-dessus de la moyenne du réseau",
    "below_average": "Les plus en dessous de la moyenne du réseau",
    "none_above": "Aucune dimension n\u2019est au-dessus de la moyenne du réseau.",
    "none_below": "Aucune dimension n\u2019est en dessous de la moyenne du réseau.",
    "crossings": "Passages de la moyenne du réseau depuis le dernier cycle",
    "crossed_above": "{dimension} : désormais au-dessus de la moyenne du réseau",
    "crossed_below": "{dimension} : désormais en dessous de la moyenne du réseau",
    "profile": "Profil par dimension",
    "radar_caption": "Indice de chaque dimension (de 0 à 100) pour {city}, avec la moyenne "
                     "du réseau et celle du groupe de pairs. Les valeurs figurent dans le "
                     "tableau de la section suivante.",
    "radar_alt": "Graphique en radar de l\u2019indice de chaque dimension pour {city}, de la "
                 "moyenne du réseau et de la moyenne du groupe de pairs",
    "dimension": "Dimension",
    "difference": "Écart à la moyenne du réseau",
    "difference_short": "Écart",
    "results_by_dimension": "Résultats par dimension",
    "question": "Question",
    "answer": "Réponse",
    "points": "Points",
    "network_share": "Villes du réseau ayant tous les points",
    "evidence": "Justificatif",
    "comment": "Commentaire de l\u2019examinateur",
    "no_answer": "Pas de réponse",
    "q_not_applicable": "Sans objet",
    "q_hidden": "Non posée (logique de filtrage)",
    "q_unscored": "Non notée",
    "q_unanswered": "Sans réponse (0 point)",
    "no_index": "pas d\u2019indice",
    "no_questions": "Aucune question dans cette dimension.",
    "peers_to_learn_from": "Villes dont s\u2019inspirer",
    "trends": "Évolution d\u2019un cycle à l\u2019autre",
    "trend_caption": "Indice global et indices par dimension de {city} à chaque cycle.",
    "trend_alt": "Graphique linéaire des indices de {city} au fil des cycles",
    "comparable_note": "Les cycles marqués * ont été remplis sur une autre édition du "
                       "questionnaire : d\u2019une édition à l\u2019autre, seul le "
                       "sous-ensemble comparable des questions mises en correspondance "
                       "est comparé.",
    "no_trends": "L\u2019évolution apparaîtra lorsque la ville aura achevé deux cycles.",
    "comparable": "Sous-ensemble comparable",
    "yes": "oui",
    "no": "non",
    "priorities": "Priorités d\u2019amélioration",
    "priorities_intro": "Questions pour lesquelles obtenir tous les points relèverait le "
                        "plus l\u2019indice global.",
    "potential_gain": "Gain possible (points d\u2019indice global)",
    "no_priorities": "Aucune priorité : toutes les questions notées ont obtenu tous les "
                     "points.",
    "peers_intro": "Villes du réseau ayant l\u2019indice le plus élevé dans chaque "
                   "dimension.",
    "no_peers": "Aucune ville à suggérer pour cette dimension.",
    "practices_heading": "Ce que font d\u2019autres villes",
    "practices_intro": (
        "Bonnes pratiques publiées par d\u2019autres villes sur vos questions "
        "prioritaires : d\u2019abord les villes ayant tous les points sur la "
        "question, puis celles de votre groupe de taille ou de diversité, puis "
        "les plus récentes."
    ),
    "practice_original": "non traduit : texte original",
    "methodology": "Méthodologie",
    "method_index": "Chaque question notée rapporte des points : ceux de l\u2019option "
                    "choisie, ceux de la tranche où se situe le nombre, ou une échelle "
                    "linéaire entre un minimum et un maximum. L\u2019indice d\u2019une "
                    "dimension vaut 100 fois la moyenne pondérée, sur ses questions "
                    "retenues, des points obtenus divisés par le maximum de points. Les "
                    "questions non notées, répondues « sans objet » ou non posées en "
                    "raison d\u2019une réponse précédente sont exclues ; une question sans "
                    "réponse compte 0 point dans un brouillon.",
    "method_overall": "L\u2019indice global est la moyenne pondérée des indices des "
                      "dimensions qui ont un indice.",
    "method_network": "La moyenne du réseau d\u2019une dimension est la moyenne de cet "
                      "indice sur la dernière évaluation validée de chaque ville pour la "
                      "même édition ({n} villes pour ce rapport).",
    "method_peer": "Le groupe de pairs réunit des villes de population et de part de "
                   "résidents nés à l\u2019étranger comparables ({group}). Sa moyenne "
                   "inclut la ville elle-même et n\u2019est affichée que si le groupe "
                   "compte au moins {k} villes (règle de k-anonymat), afin qu\u2019aucun "
                   "score individuel ne puisse être déduit.",
    "method_sample": "Le nombre de villes sur lequel repose chaque moyenne (n) est indiqué "
                     "à côté d\u2019elle.",
    "method_rounding": "Les indices sont calculés sans arrondi et affichés avec une "
                       "décimale.",
    "method_provisional": "Les scores d\u2019une évaluation non encore validée sont "
                          "provisoires et signalés comme tels sur chaque page.",
    "method_trends": "D\u2019une édition à l\u2019autre, seules les questions mises en "
                     "correspondance avec une édition antérieure sont comparées "
                     "(sous-ensemble comparable).",
    "method_edition": "{title}, édition {version} ({questions} questions réparties en "
                      "{dimensions} dimensions)",
    "method_data": "Données au {date}.",
    "k_rule": "Seuil de k-anonymat",
    "distributions": "Répartition des indices dans le réseau",
    "distribution_caption": "Boîtes à moustaches : la boîte va du premier au troisième "
                            "quartile, le trait intérieur marque la médiane, les moustaches "
                            "vont du minimum au maximum et le losange indique la moyenne.",
    "distribution_alt": "Boîtes à moustaches de l\u2019indice de chaque dimension dans le "
                        "réseau",
    "mean": "Moyenne",
    "minimum": "Min.",
    "q1": "Q1",
    "median": "Médiane",
    "q3": "Q3",
    "maximum": "Max.",
    "cities": "Villes",
    "city": "Ville",
    "cities_heading": "Indices des villes",
    "dimension_key": "Codes des dimensions",
    "dimension_code": "D{n}",
    "changes_since_edition": "Évolution depuis l\u2019édition {version}",
    "previous_mean": "Moyenne, édition {version}",
    "no_edition_changes": "Aucune édition antérieure pour comparer.",
    "network_summary": "{n} villes ont une évaluation validée sur cette édition.",
    # groupes de comparaison (taille, diversité) et rangs
    "groups_title": "Rang parmi les villes semblables",
    "group_network": "Ensemble du réseau",
    "group_size": "Villes de taille semblable ({band})",
    "group_diversity": "Villes de diversité semblable ({band})",
    "group_average": "Moyenne du groupe",
    "group_rank": "Rang",
    "rank_of": "{rank} sur {n}",
    "rank_ties": "Les villes à égalité partagent le meilleur rang de leur égalité (1, 2, 2, 4).",
    "withheld_no_group": "aucun groupe\u00a0: population ou part de personnes nées "
                         "à l\u2019étranger inconnue",
    "pop_under": "moins de {high} habitants",
    "pop_between": "{low} à {high} habitants",
    "pop_over": "{low} habitants ou plus",
    "fb_under": "moins de {high}\u00a0% de personnes nées à l\u2019étranger",
    "fb_between": "{low} à {high}\u00a0% de personnes nées à l\u2019étranger",
    "fb_over": "{low}\u00a0% ou plus de personnes nées à l\u2019étranger",
    # comparaison côte à côte
    "comparison_title": "Villes côte à côte",
    "comparison_cities": "Villes comparées (dernier cycle validé de l\u2019édition)",
    "no_validated_round": "aucun cycle validé",
    "comparison_radar_caption": "Indices par dimension de chaque ville (0 à 100)\u00a0; chaque ville a "
                                "son propre style de ligne et son marqueur. Les valeurs figurent dans le "
                                "tableau qui suit.",
    "comparison_indices": "Indices par dimension",
    "comparison_questions": "Là où les villes diffèrent le plus",
    "comparison_questions_intro": "Les questions où l\u2019écart entre les parts des points obtenus par "
                                  "les villes est le plus grand.",
    "points_share": "Part des points",
}

AR: dict[str, str] = {
    "app_name": "City Benchmark",
    "colon": ":",
    "report_title": "تقرير المقارنة المرجعية لسياسات الإدماج",
    "network_report_title": "التقرير المقارن للشبكة",
    "edition": "إصدار الاستبيان",
    "edition_short": "الإصدار",
    "round": "الدورة",
    "country": "البلد",
    "report_date": "تاريخ التقرير",
    "data_date": "البيانات بتاريخ",
    "status": "الحالة",
    "status_draft": "مسودة",
    "status_submitted": "مُقدَّم للمراجعة",
    "status_returned": "أُعيد لإجراء تعديلات",
    "status_validated": "معتمد",
    "watermark": "نسخة مؤقتة",
    "provisional_note": "نتائج مؤقتة: تستند هذه الدرجات إلى إجابات لم يعتمدها فريق "
                        "البرنامج بعد، وقد تتغير.",
    "contents": "المحتويات",
    "page": "صفحة",
    "page_of": "من",
    "summary": "ملخص",
    "overall_index": "المؤشر العام",
    "index": "المؤشر",
    "index_scale": "من 0 إلى 100",
    "network_average": "متوسط الشبكة",
    "peer_average": "متوسط مجموعة النظراء",
    "n_cities": "ن = {n}",
    "n": "ن",
    "peer_group": "مجموعة النظراء",
    "withheld": "غير معروض",
    "withheld_k_anonymity": "غير معروض: أقل من {k} مدن",
    "withheld_no_data": "لا توجد بيانات",
    "percentile": "الرتبة المئينية في الشبكة",
    "rank_band": "الموقع ضمن الشبكة",
    "rank_top_quartile": "الربع الأعلى",
    "rank_second_quartile": "الربع الثاني (فوق الوسيط)",
    "rank_third_quartile": "الربع الثالث (دون الوسيط)",
    "rank_bottom_quartile": "الربع الأدنى",
    "change_since": "التغيّر منذ دورة {round}",
    "change_comparable": "المقارنة على الأسئلة المشتركة بين الإصدارين",
    "no_previous_round": "لا توجد دورة سابقة للمقارنة.",
    "above_average": "الأبعاد الأعلى من متوسط الشبكة",
    "below_average": "الأبعاد الأدنى من متوسط الشبكة",
    "none_above": "لا يوجد بُعد أعلى من متوسط الشبكة.",
    "none_below": "لا يوجد بُعد أدنى من متوسط الشبكة.",
    "crossings": "تجاوز متوسط الشبكة منذ الدورة السابقة",
    "crossed_above": "{dimension}: أصبح أعلى من متوسط الشبكة",
    "crossed_below": "{dimension}: أصبح أدنى من متوسط الشبكة",
    "profile": "الأداء حسب البُعد",
    "radar_caption": "مؤشر كل بُعد (من 0 إلى 100) لمدينة {city}، مع متوسط الشبكة ومتوسط "
                     "مجموعة النظراء. ترد القيم في جدول القسم التالي.",
    "radar_alt": "مخطط راداري لمؤشر كل بُعد لمدينة {city} ولمتوسط الشبكة ومتوسط مجموعة "
                 "النظراء",
    "dimension": "البُعد",
    "difference": "الفرق عن متوسط الشبكة",
    "difference_short": "الفرق",
    "results_by_dimension": "النتائج حسب البُعد",
    "question": "السؤال",
    "answer": "الإجابة",
    "points": "النقاط",
    "network_share": "مدن الشبكة الحاصلة على النقاط كاملة",
    "evidence": "الدليل",
    "comment": "تعليق المراجِع",
    "no_answer": "لا توجد إجابة",
    "q_not_applicable": "لا ينطبق",
    "q_hidden": "لم يُطرح (منطق التخطي)",
    "q_unscored": "غير محتسب",
    "q_unanswered": "دون إجابة (0 نقاط)",
    "no_index": "لا يوجد مؤشر",
    "no_questions": "لا توجد أسئلة في هذا البُعد.",
    "peers_to_learn_from": "مدن يُستفاد من تجربتها",
    "trends": "التطور عبر الدورات",
    "trend_caption": "المؤشر العام ومؤشرات الأبعاد لمدينة {city} في كل دورة.",
    "trend_alt": "مخطط خطي لمؤشرات مدينة {city} عبر الدورات",
    "comparable_note": "الدورات المعلَّمة بـ * أُجيب عنها على إصدار آخر من الاستبيان: "
                       "لا تُقارَن بين الإصدارات إلا المجموعة القابلة للمقارنة من الأسئلة "
                       "المتقابلة بينها.",
    "no_trends": "يظهر التطور بعد أن تُكمل المدينة دورتين.",
    "comparable": "المجموعة القابلة للمقارنة",
    "yes": "نعم",
    "no": "لا",
    "priorities": "أولويات التحسين",
    "priorities_intro": "الأسئلة التي يرفع الحصول على نقاطها كاملة المؤشرَ العام أكثر من "
                        "غيرها.",
    "potential_gain": "المكسب المحتمل (نقاط المؤشر العام)",
    "no_priorities": "لا توجد أولويات تحسين: حصلت جميع الأسئلة المحتسبة على نقاطها كاملة.",
    "peers_intro": "مدن الشبكة صاحبة أعلى مؤشر في كل بُعد.",
    "no_peers": "لا توجد مدن مقترحة لهذا البُعد.",
    "practices_heading": "ما تفعله مدن أخرى",
    "practices_intro": (
        "ممارسات جيدة منشورة لمدن أخرى تتناول أسئلتك ذات الأولوية: أولاً المدن "
        "الحاصلة على الدرجة الكاملة في السؤال، ثم مدن فئة الحجم أو التنوع "
        "نفسها، ثم الأحدث."
    ),
    "practice_original": "غير مترجمة: النص الأصلي",
    "methodology": "المنهجية",
    "method_index": "يمنح كل سؤال محتسب نقاطًا: نقاط الخيار المختار، أو نقاط الفئة التي يقع "
                    "فيها العدد، أو مقياسًا خطيًا بين حد أدنى وحد أقصى. مؤشر البُعد هو 100 "
                    "مضروبة في المتوسط المرجَّح، على أسئلته المشمولة، للنقاط المحققة مقسومة "
                    "على النقاط القصوى. تُستبعد الأسئلة غير المحتسبة والأسئلة التي أُجيب "
                    "عنها بـ«لا ينطبق» والأسئلة التي لم تُطرح بسبب إجابة سابقة؛ ويُحتسب "
                    "السؤال الذي لم يُجَب عنه بصفر نقاط في المسودة.",
    "method_overall": "المؤشر العام هو المتوسط المرجَّح لمؤشرات الأبعاد التي لها مؤشر.",
    "method_network": "متوسط الشبكة لبُعد ما هو متوسط هذا المؤشر في آخر تقييم معتمد لكل "
                      "مدينة على الإصدار نفسه ({n} مدينة في هذا التقرير).",
    "method_peer": "تضم مجموعة النظراء مدنًا متقاربة في عدد السكان وفي نسبة المقيمين "
                   "المولودين في الخارج ({group}). يشمل متوسطها المدينة نفسها، ولا يُعرض "
                   "إلا إذا ضمّت المجموعة {k} مدن على الأقل (قاعدة إخفاء الهوية k)، حتى لا "
                   "يمكن استنتاج درجات أي مدينة بعينها.",
    "method_sample": "يُذكر بجانب كل متوسط عدد المدن التي يستند إليها (ن).",
    "method_rounding": "تُحسب المؤشرات دون تقريب وتُعرض بمنزلة عشرية واحدة.",
    "method_provisional": "درجات التقييم غير المعتمد بعد مؤقتة، ويُشار إلى ذلك في كل صفحة.",
    "method_trends": "بين الإصدارات لا تُقارَن إلا الأسئلة المتقابلة مع إصدار سابق "
                     "(المجموعة القابلة للمقارنة).",
    "method_edition": "{title}، الإصدار {version} ({questions} سؤالًا موزعة على "
                      "{dimensions} بُعدًا)",
    "method_data": "البيانات بتاريخ {date}.",
    "k_rule": "عتبة إخفاء الهوية k",
    "distributions": "توزيع المؤشرات في الشبكة",
    "distribution_caption": "مخططات الصندوق: يمتد الصندوق من الربيع الأول إلى الربيع الثالث، "
                            "والخط داخله هو الوسيط، ويصل الشاربان إلى الحد الأدنى والحد "
                            "الأقصى، ويشير المعيَّن إلى المتوسط.",
    "distribution_alt": "مخططات صندوقية لمؤشر كل بُعد في الشبكة",
    "mean": "المتوسط",
    "minimum": "الأدنى",
    "q1": "الربيع 1",
    "median": "الوسيط",
    "q3": "الربيع 3",
    "maximum": "الأقصى",
    "cities": "المدن",
    "city": "المدينة",
    "cities_heading": "مؤشرات المدن",
    "dimension_key": "رموز الأبعاد",
    "dimension_code": "ب{n}",
    "changes_since_edition": "التغيّر منذ الإصدار {version}",
    "previous_mean": "المتوسط، الإصدار {version}",
    "no_edition_changes": "لا يوجد إصدار سابق للمقارنة.",
    "network_summary": "عدد المدن التي لها تقييم معتمد على هذا الإصدار: {n}.",
    # مجموعات المقارنة (الحجم، التنوع) والمراتب
    "groups_title": "المرتبة بين المدن المماثلة",
    "group_network": "الشبكة بأكملها",
    "group_size": "مدن مماثلة في الحجم ({band})",
    "group_diversity": "مدن مماثلة في التنوع ({band})",
    "group_average": "متوسط المجموعة",
    "group_rank": "المرتبة",
    "rank_of": "{rank} من {n}",
    "rank_ties": "تتقاسم المدن المتساوية أفضل مرتبة بينها (1، 2، 2، 4).",
    "withheld_no_group": "لا مجموعة: عدد السكان أو نسبة المولودين في الخارج غير معروف",
    "pop_under": "أقل من {high} نسمة",
    "pop_between": "من {low} إلى {high} نسمة",
    "pop_over": "{low} نسمة أو أكثر",
    "fb_under": "أقل من {high}\u00a0% من المولودين في الخارج",
    "fb_between": "من {low} إلى {high}\u00a0% من المولودين في الخارج",
    "fb_over": "{low}\u00a0% أو أكثر من المولودين في الخارج",
    # المقارنة جنبًا إلى جنب
    "comparison_title": "المدن جنبًا إلى جنب",
    "comparison_cities": "المدن المقارنة (آخر دورة مُعتمدة في الإصدار)",
    "no_validated_round": "لا توجد دورة مُعتمدة",
    "comparison_radar_caption": "مؤشرات الأبعاد لكل مدينة (من 0 إلى 100)؛ لكل مدينة نمط خط وعلامة خاصان "
                                "بها. القيم واردة في الجدول التالي.",
    "comparison_indices": "المؤشرات حسب البُعد",
    "comparison_questions": "حيث تختلف المدن أكثر",
    "comparison_questions_intro": "الأسئلة ذات الفارق الأكبر بين نسب النقاط التي حصلت عليها المدن.",
    "points_share": "نسبة النقاط",
}

CATALOGUES: Mapping[str, Mapping[str, str]] = {"en": EN, "fr": FR, "ar": AR}

#: Decimal separator per language (digits stay Western in every language).
_DECIMAL = {"en": ".", "fr": ",", "ar": "."}
# ASCII hyphen-minus: Noto Sans has no U+2212, and "-" is what screen readers and
# copy-paste understand as a minus.
_MINUS = "-"
_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
           "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
}


def language_of(lang: str) -> str:
    """``lang`` if the reports are translated into it, else English."""
    return lang if lang in CATALOGUES else FALLBACK


def is_rtl(lang: str) -> bool:
    return language_of(lang) in RTL_LANGUAGES


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` for one language; an unknown key raises KeyError."""
    catalogue = CATALOGUES[language_of(lang)]

    def t(key: str, **values: object) -> str:
        text = catalogue[key]
        return text.format(**values) if values else text

    return t


def format_number(value: float | None, lang: str, *, decimals: int = 1,
                  signed: bool = False, missing: str = "\u2013") -> str:
    """``65.3`` (``65,3`` in French); ``signed`` adds +/− so sign never needs colour."""
    if value is None:
        return missing
    text = f"{abs(value):.{decimals}f}".replace(".", _DECIMAL[language_of(lang)])
    if float(f"{abs(value):.{decimals}f}") == 0:
        return ("\u00b1" if signed else "") + text
    if value < 0:
        text = _MINUS + text
    elif signed:
        text = "+" + text
    else:
        return text
    # In right-to-left text a leading sign would drift to the number's right:
    # isolate it as a left-to-right run (LRI … PDI).
    return f"\u2066{text}\u2069" if is_rtl(lang) else text


def format_percent(share: float | None, lang: str) -> str:
    """A 0–1 share as a whole percentage: ``42%``, ``42 %`` in French."""
    if share is None:
        return "\u2013"
    number = f"{round(share * 100):d}"
    return f"{number}\u202f%" if language_of(lang) == "fr" else f"{number}%"


def format_date(day: date, lang: str) -> str:
    """``12 May 2026`` / ``12 mai 2026`` / ``12 مايو 2026``."""
    months = _MONTHS[language_of(lang)]
    return f"{day.day} {months[day.month - 1]} {day.year}"


def text_direction(text: str, default: str = "ltr") -> str:
    """"rtl" or "ltr" from the first strong character (HTML's dir=auto, which
    WeasyPrint does not implement); ``default`` when there is none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return default


_THOUSANDS = {"en": ",", "fr": "\u202f", "ar": ","}


def format_count(value: float, lang: str) -> str:
    """A whole number with the language's thousands separator: 100,000 / 100 000."""
    return f"{int(value):,}".replace(",", _THOUSANDS[language_of(lang)])


def ordinal(rank: int, lang: str) -> str:
    """17th / 17e (1er) / 17: a rank as the language writes it."""
    lang = language_of(lang)
    if lang == "en":
        suffix = "th" if 11 <= rank % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
        return f"{rank}{suffix}"
    if lang == "fr":
        return f"{rank}er" if rank == 1 else f"{rank}e"
    return str(rank)


def band_label(key: str, lang: str) -> str:
    """Words for a size ("pop-100k-250k") or diversity ("fb-10-20") group in `lang`."""
    t = translator(lang)
    kind = key.partition("-")[0]
    low, high = band_bounds(key)
    fmt = (lambda v: format_count(v, lang)) if kind == "pop" else (lambda v: f"{v:g}")
    if high is None:
        return t(f"{kind}_over", low=fmt(low))
    if low == 0:
        return t(f"{kind}_under", high=fmt(high))
    return t(f"{kind}_between", low=fmt(low), high=fmt(high))


def group_label(kind: str, key: str | None, lang: str) -> str:
    """"Whole network", "Cities of similar size (100,000–250,000 inhabitants)", ..."""
    t = translator(lang)
    if kind == "network" or key is None:
        return t("group_network") if kind == "network" else t(f"group_{kind}", band="\u2013")
    return t(f"group_{kind}", band=band_label(key, lang))


def rank_text(rank: int | None, n: int, lang: str) -> str:
    """"17th of 93" in the language; a dash when there is no rank."""
    if rank is None:
        return "\u2013"
    return translator(lang)("rank_of", rank=ordinal(rank, lang), n=n)
