"""The demo school: a believable French engineering school built through the application's
own services, so that every record it creates has its entry in the audit trail.

`build_demo_school()` is called by `manage.py load_demo` (scale 1: about 80 people and 25
processes) and by the benchmarks (scale 10: 800 people and 250 processes, the extra ones
numbered by campus). The same seed always builds the same school.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amelio.core.services import model_create
from amelio.history.models import HistoryEntry
from amelio.improvement.demo import build_improvement_demo
from amelio.improvement.models import Action, ImprovementItem, ProgressNote
from amelio.internships.demo import build_internship_demo
from amelio.internships.models import Evaluation, Internship, Milestone
from amelio.organisation import services as organisation_services
from amelio.organisation.choices import PersonKind, Role, ScopeKind
from amelio.organisation.models import AcademicYear, Department, Person, Programme, RoleAssignment, School
from amelio.partners.models import Company, Contact, Intervention
from amelio.processes import services as process_services
from amelio.processes.choices import (
    IssueEffect,
    IssueOrigin,
    PartyCategory,
    ProcessKind,
    RaciResponsibility,
    Relevance,
    StatementKind,
)
from amelio.processes.models import (
    Activity,
    ContextIssue,
    InterestedParty,
    Process,
    ProcessInteraction,
    RaciAssignment,
    Statement,
)
from amelio.standards.models import Clause

DEMO_DOMAIN = "amelio-demo.fr"
DEMO_PASSWORD = "amelio-demo-2026"
BASE_PEOPLE = 80  # people of the school at scale 1; each extra campus adds as many
ISO_9001 = "ISO9001:2015"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Any  # a lazily translated description


# The accounts a visitor signs in with; everyone else has an unusable password.
DEMO_LOGINS = [
    DemoLogin(f"qualite@{DEMO_DOMAIN}", _("quality manager (whole school)")),
    DemoLogin(f"direction@{DEMO_DOMAIN}", _("director (whole school)")),
    DemoLogin(f"chef.gc@{DEMO_DOMAIN}", _("department head, Génie Civil")),
    DemoLogin(f"enseignant@{DEMO_DOMAIN}", _("teacher, Génie Civil, process co-owner")),
    DemoLogin(f"etudiant@{DEMO_DOMAIN}", _("student, Génie Civil")),
    DemoLogin(f"stages@{DEMO_DOMAIN}", _("internship & company-relations office")),
    DemoLogin(f"auditeur@{DEMO_DOMAIN}", _("external auditor (access for three months)")),
]

# --- The school's structure -------------------------------------------------------------

SCHOOL = {
    "name": "École d'ingénieurs Amelio",
    "short_name": "Amelio",
    "city": "Lyon",
    "website": "https://www.amelio-demo.fr",
}

DEPARTMENTS = [
    (
        "GB",
        "Génie Biologique",
        "Biotechnologies, bioprocédés et agroalimentaire : des ingénieurs pour les industries du vivant, "
        "de la santé et de l'environnement.",
    ),
    (
        "GC",
        "Génie Civil",
        "Conception, construction et maintenance des bâtiments et des ouvrages, construction durable "
        "et rénovation énergétique.",
    ),
    (
        "GE",
        "Génie Électrique",
        "Énergie, électronique de puissance, systèmes embarqués et réseaux électriques intelligents.",
    ),
    (
        "IMDS",
        "Ingénierie Mathématique et Data Science",
        "Modélisation mathématique, statistique, apprentissage automatique et ingénierie des données.",
    ),
    (
        "GP",
        "Génie Physique",
        "Matériaux, photonique, instrumentation et nanotechnologies, en lien étroit avec les laboratoires.",
    ),
    (
        "GSP",
        "Génie des Systèmes de Production",
        "Génie industriel, logistique, qualité et maintenance des systèmes de production.",
    ),
]

# code, name, department, by apprenticeship
PROGRAMMES = [
    ("GB-BIO", "Biotechnologies et bioprocédés", "GB", False),
    ("GB-AGRO", "Agroalimentaire et nutrition (apprentissage)", "GB", True),
    ("GC-BTP", "Bâtiment et travaux publics", "GC", False),
    ("GC-CD", "Construction durable (apprentissage)", "GC", True),
    ("GE-ENE", "Énergie et systèmes électriques", "GE", False),
    ("GE-SEI", "Systèmes embarqués et informatique industrielle (apprentissage)", "GE", True),
    ("IMDS-DS", "Data science et intelligence artificielle", "IMDS", False),
    ("IMDS-MMF", "Modélisation mathématique et finance", "IMDS", False),
    ("GP-MAT", "Matériaux et nanotechnologies", "GP", False),
    ("GP-PHO", "Photonique et instrumentation", "GP", False),
    ("GSP-GIL", "Génie industriel et logistique", "GSP", False),
    ("GSP-PMI", "Production et maintenance industrielles (apprentissage)", "GSP", True),
]

FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Lucie", "Pauline",
    "Marion", "Laura", "Anaïs", "Élodie", "Aurélie", "Sophie", "Céline", "Isabelle", "Hélène", "Valérie",
    "Émilie", "Mathilde", "Clémence", "Juliette", "Margaux", "Zoé", "Jade", "Amandine", "Nadia", "Yasmine",
    "Lucas", "Hugo", "Thomas", "Nicolas", "Maxime", "Alexandre", "Antoine", "Quentin", "Romain", "Guillaume",
    "Pierre", "Louis", "Arthur", "Théo", "Mathieu", "Benoît", "François", "Olivier", "Laurent", "Stéphane",
    "Christophe", "Sébastien", "Vincent", "Yann", "Karim", "Mehdi", "Samuel", "Adrien", "Baptiste", "Jérôme",
]  # fmt: skip

LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "André", "Lefèvre", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier",
    "Faure", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Perrin", "Morin", "Mathieu", "Clément",
    "Gauthier", "Dumont", "Lopez", "Chevalier", "Robin", "Masson", "Sanchez", "Nguyen", "Boyer", "Denis",
    "Lemaire", "Duval", "Joly", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier",
    "Perez", "Marchand", "Dufour", "Blanchard", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux",
    "Colin", "Fernandez", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal",
    "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Lacroix", "Fabre", "Dupuis", "Rodriguez", "Hubert",
    "Rivière", "Le Gall", "Adam", "Rey", "Moulin", "Berger", "Lecomte", "Fleury", "Deschamps", "Carpentier",
    "Maillard", "Aubry", "Le Roux", "Renault", "Jacquet", "Prévost", "Poirier", "Charpentier", "Huet", "Baron",
    "Benali", "Haddad", "Diallo", "Traoré", "Kaya", "Ferreira", "Da Costa", "Cohen", "Benoît", "Marty",
]  # fmt: skip

TEACHER_TITLES = [
    "Maître de conférences",
    "Maîtresse de conférences",
    "Professeur des universités",
    "Professeur agrégé",
    "Enseignant-chercheur",
    "Enseignant contractuel",
]

# key, first name, last name, email (None: first.last), job title
STAFF = [
    ("studies", "Hélène", "Lambert", None, "Directrice des études"),
    ("admissions", "Karim", "Benali", None, "Responsable du service des admissions"),
    ("registrar", "Valérie", "Perrin", None, "Responsable de la scolarité"),
    ("quality_officer", "Anaïs", "Roussel", None, "Chargée de mission qualité"),
    ("hr", "Isabelle", "Gauthier", None, "Directrice des ressources humaines"),
    ("it", "Yann", "Le Gall", None, "Directeur des systèmes d'information"),
    ("facilities", "Stéphane", "Masson", None, "Responsable du patrimoine et de la logistique"),
    ("finance", "Céline", "Marchand", None, "Responsable administrative et financière"),
    ("communication", "Margaux", "Fleury", None, "Chargée de communication"),
]
INTERNSHIP_OFFICE = [
    ("internships", "Sandrine", "Morel", "stages", "Responsable du bureau des stages et des relations entreprises"),
    ("apprenticeships", "Olivier", "Caron", None, "Chargé des relations apprentissage"),
    ("insertion", "Nadia", "Haddad", None, "Chargée de l'insertion professionnelle"),
]
# department, first name, last name, email local part (None: first.last)
DEPARTMENT_HEADS = [
    ("GB", "Aurélie", "Vidal", None),
    ("GC", "Nathalie", "Girard", "chef.gc"),
    ("GE", "François", "Lefèvre", None),
    ("IMDS", "Mehdi", "Haddad", None),
    ("GP", "Christophe", "Aubert", None),
    ("GSP", "Laurent", "Carpentier", None),
]
# Teachers with a part in the story; the others are drawn at random.
NAMED_TEACHERS = [
    ("teacher_demo", "GC", "Julien", "Mercier", "enseignant", "Maître de conférences"),
    ("teacher_martin", "GP", "Sophie", "Martin", None, "Maîtresse de conférences"),
    ("research", "GE", "Benoît", "Rolland", None, "Professeur des universités, directeur de la recherche"),
    ("internal_auditor", "GSP", "Émilie", "Dufour", None, "Maîtresse de conférences, auditrice interne"),
    ("apprenticeship_teacher", "GSP", "Romain", "Brunet", None, "Professeur agrégé, référent alternance"),
    ("lab_manager", "GB", "Clémence", "Robin", None, "Ingénieure de recherche, responsable des laboratoires"),
]
TEACHERS_PER_DEPARTMENT = {"GB": 5, "GC": 5, "GE": 5, "IMDS": 5, "GP": 5, "GSP": 4}
STUDENTS_PER_DEPARTMENT = 5

# --- The process map --------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessSpec:
    code: str
    kind: str
    name: str
    owner: str  # a person key
    purpose: str
    inputs: str
    outputs: str
    resources: str
    clauses: Sequence[str]
    activities: Sequence[str]
    team: Sequence[str]  # groups or person keys from which R, C and I are drawn
    department: str | None = None
    responsible: str | None = None  # a person key responsible for every activity


MANAGEMENT_TEAM = ("director", "quality", "heads", "studies")
QUALITY_TEAM = ("quality", "quality_officer", "internal_auditor", "heads")

PROCESSES = [
    ProcessSpec(
        "M-01",
        ProcessKind.MANAGEMENT,
        "Piloter la stratégie et la politique qualité",
        "director",
        "Définir les orientations de l'école, sa politique qualité et ses objectifs, et s'assurer "
        "qu'ils sont compris et déclinés dans chaque processus.",
        "Contrat d'objectifs avec le ministère, recommandations de la CTI, analyse du contexte, "
        "attentes des parties intéressées, résultats de la revue de direction.",
        "Plan stratégique, politique qualité approuvée, objectifs qualité par processus, budget d'orientation.",
        "Équipe de direction, conseil d'administration, conseil des études, tableau de bord de l'école.",
        ("4.1", "4.2", "5.1", "5.2", "6.2"),
        (
            "Analyser le contexte et les enjeux de l'école",
            "Définir les orientations stratégiques pluriannuelles",
            "Rédiger et diffuser la politique qualité",
            "Décliner les objectifs qualité par processus",
        ),
        MANAGEMENT_TEAM,
    ),
    ProcessSpec(
        "M-02",
        ProcessKind.MANAGEMENT,
        "Revue de direction et amélioration continue",
        "quality",
        "Évaluer chaque année la pertinence, l'adéquation et l'efficacité du système de management de "
        "la qualité et décider des améliorations.",
        "Résultats des indicateurs, audits, enquêtes de satisfaction, réclamations, suivi des actions, "
        "évolutions du contexte.",
        "Compte rendu de revue de direction, décisions, plan d'amélioration et ressources allouées.",
        "Équipe de direction, pilotes de processus, outil Amelio.",
        ("9.3", "10.1", "10.3"),
        (
            "Compiler les données d'entrée de la revue",
            "Tenir la revue de direction annuelle",
            "Suivre les décisions et le plan d'amélioration",
        ),
        MANAGEMENT_TEAM,
    ),
    ProcessSpec(
        "M-03",
        ProcessKind.MANAGEMENT,
        "Audits internes",
        "quality",
        "Vérifier par des audits planifiés que les processus sont conformes aux exigences de la norme et "
        "de l'école et qu'ils sont efficaces.",
        "Cartographie des processus, résultats des audits précédents, risques, exigences ISO 9001 et CTI.",
        "Programme d'audits, rapports d'audit, constats et demandes d'actions correctives.",
        "Auditeurs internes qualifiés, grilles d'audit, temps dédié des enseignants auditeurs.",
        ("9.2", "7.2"),
        (
            "Établir le programme d'audits annuel",
            "Former et qualifier les auditeurs internes",
            "Réaliser les audits et rédiger les rapports",
            "Suivre les constats d'audit",
        ),
        QUALITY_TEAM,
    ),
    ProcessSpec(
        "M-04",
        ProcessKind.MANAGEMENT,
        "Écoute des parties intéressées",
        "quality_officer",
        "Connaître les besoins et la satisfaction des élèves, des entreprises, des diplômés et des "
        "personnels, et en tirer des enseignements.",
        "Liste des parties intéressées, calendrier des enquêtes, réclamations et suggestions.",
        "Résultats d'enquêtes analysés, indicateurs de satisfaction, pistes d'amélioration.",
        "Outil d'enquête, délégués de promotion, bureau des stages, réseau des diplômés.",
        ("4.2", "9.1", "8.2"),
        (
            "Concevoir les enquêtes de satisfaction",
            "Administrer les enquêtes auprès des élèves et des entreprises",
            "Analyser les résultats et les réclamations",
            "Restituer les résultats aux parties intéressées",
        ),
        ("quality", "internships", "insertion", "heads", "communication"),
    ),
    ProcessSpec(
        "M-05",
        ProcessKind.MANAGEMENT,
        "Gérer les risques et les actions d'amélioration",
        "quality",
        "Anticiper les risques et saisir les opportunités, traiter les non-conformités et vérifier "
        "l'efficacité des actions engagées.",
        "Analyse du contexte, constats d'audit, réclamations, incidents, résultats des indicateurs.",
        "Cartographie des risques, plans d'actions, actions correctives clôturées et évaluées.",
        "Pilotes de processus, outil Amelio, méthodes d'analyse de causes (5 pourquoi, Ishikawa).",
        ("6.1", "8.7", "10.2"),
        (
            "Identifier et évaluer les risques et opportunités",
            "Traiter les non-conformités et les réclamations",
            "Conduire les analyses de causes",
            "Vérifier l'efficacité des actions correctives",
        ),
        QUALITY_TEAM,
    ),
    ProcessSpec(
        "R-01",
        ProcessKind.REALISATION,
        "Recruter et admettre les élèves",
        "admissions",
        "Attirer et sélectionner des candidats capables de réussir la formation d'ingénieur, sur concours "
        "et sur titre, sous statut étudiant ou apprenti.",
        "Capacités d'accueil, prérequis des formations, candidatures, calendrier des concours.",
        "Listes d'admis, élèves inscrits, statistiques de recrutement.",
        "Plateforme de candidature, jurys d'admission, service des admissions, salons et forums.",
        ("8.2", "8.5"),
        (
            "Promouvoir les formations (salons, journées portes ouvertes)",
            "Instruire les candidatures (concours, admissions sur titre)",
            "Organiser les jurys d'admission",
            "Inscrire les élèves admis",
        ),
        ("heads", "communication", "registrar", "teachers"),
    ),
    ProcessSpec(
        "R-02",
        ProcessKind.REALISATION,
        "Concevoir et faire évoluer les formations",
        "studies",
        "Concevoir des formations d'ingénieur répondant aux besoins des entreprises et aux critères de la "
        "CTI, et les faire évoluer.",
        "Besoins des entreprises et des branches, référentiel CTI, retours des élèves et des diplômés, "
        "orientations stratégiques.",
        "Référentiels de compétences, maquettes pédagogiques, syllabus, dossiers d'accréditation.",
        "Conseil des études, conseils de perfectionnement, équipes pédagogiques.",
        ("8.3", "8.2"),
        (
            "Recueillir les besoins des entreprises et des branches",
            "Construire le référentiel de compétences",
            "Élaborer les maquettes et les syllabus",
            "Faire valider les évolutions en conseil des études",
            "Préparer le dossier d'accréditation CTI",
        ),
        ("heads", "teachers", "quality", "internships"),
    ),
    ProcessSpec(
        "R-03",
        ProcessKind.REALISATION,
        "Dispenser les enseignements",
        "studies",
        "Faire acquérir aux élèves les compétences prévues par les maquettes, dans de bonnes conditions "
        "d'apprentissage.",
        "Maquettes et syllabus, élèves inscrits, enseignants et intervenants, salles et laboratoires.",
        "Cours, TD, TP et projets réalisés, évaluations des enseignements.",
        "Enseignants permanents, intervenants professionnels, plateformes techniques, ENT.",
        ("8.5", "7.1", "7.2"),
        (
            "Planifier les emplois du temps",
            "Affecter les enseignants et les intervenants",
            "Conduire les cours, TD et TP",
            "Évaluer les enseignements avec les élèves",
        ),
        ("heads", "teachers", "registrar"),
        responsible="teacher_demo",
    ),
    ProcessSpec(
        "R-04",
        ProcessKind.REALISATION,
        "Organiser les stages et la mobilité",
        "internships",
        "Permettre à chaque élève de réaliser des stages formateurs en entreprise et une mobilité "
        "internationale, suivis et évalués.",
        "Offres de stage, règlement des études, accords internationaux, élèves à placer.",
        "Conventions signées, stages suivis, évaluations des tuteurs, mobilités réalisées.",
        "Bureau des stages, tuteurs école, tuteurs entreprise, service des relations internationales.",
        ("8.4", "8.5"),
        (
            "Collecter et diffuser les offres de stage",
            "Valider les sujets et établir les conventions",
            "Assurer le suivi pédagogique (tuteur école)",
            "Organiser les soutenances et l'évaluation",
            "Accompagner la mobilité internationale",
        ),
        ("internship_office", "teachers", "heads"),
    ),
    ProcessSpec(
        "R-05",
        ProcessKind.REALISATION,
        "Gérer l'alternance",
        "apprenticeships",
        "Réussir la formation des apprentis en articulant les périodes à l'école et en entreprise, avec "
        "les maîtres d'apprentissage et le CFA.",
        "Contrats d'apprentissage, calendriers d'alternance, exigences de France Compétences.",
        "Apprentis suivis, livrets d'apprentissage, évaluations en entreprise, financements perçus.",
        "Référents alternance, CFA partenaire, OPCO, maîtres d'apprentissage.",
        ("8.4", "8.5"),
        (
            "Accompagner la signature des contrats d'apprentissage",
            "Établir le calendrier d'alternance",
            "Suivre les apprentis avec les maîtres d'apprentissage",
            "Gérer les relations avec les OPCO et le CFA",
        ),
        ("internship_office", "apprenticeship_teacher", "finance", "heads"),
    ),
    ProcessSpec(
        "R-06",
        ProcessKind.REALISATION,
        "Évaluer et diplômer",
        "registrar",
        "Évaluer les acquis des élèves de manière équitable et délivrer le diplôme d'ingénieur à ceux "
        "qui en remplissent les conditions.",
        "Règlement des études, notes, évaluations de stage, certification en langue anglaise.",
        "Procès-verbaux de jury, relevés de notes, diplômes et suppléments au diplôme.",
        "Scolarité, jurys, logiciel de gestion des notes.",
        ("8.6", "8.7"),
        (
            "Organiser les examens et les sessions de rattrapage",
            "Saisir et contrôler les notes",
            "Tenir les jurys de semestre et de diplôme",
            "Délivrer les diplômes et les suppléments au diplôme",
        ),
        ("heads", "teachers", "studies"),
    ),
    ProcessSpec(
        "R-07",
        ProcessKind.REALISATION,
        "Accompagner l'insertion professionnelle",
        "insertion",
        "Préparer les élèves à leur entrée dans la vie professionnelle et mesurer l'insertion des diplômés.",
        "Projets professionnels des élèves, réseau des diplômés, offres d'emploi.",
        "Ateliers réalisés, enquête d'insertion à 6 et 18 mois, indicateurs d'emploi.",
        "Chargée d'insertion, association des diplômés, plateforme d'offres.",
        ("9.1", "8.5"),
        (
            "Préparer les élèves à la recherche d'emploi",
            "Animer le réseau des diplômés",
            "Conduire l'enquête d'insertion à 6 et 18 mois",
        ),
        ("internship_office", "heads", "communication"),
    ),
    ProcessSpec(
        "R-08",
        ProcessKind.REALISATION,
        "Développer les partenariats entreprises",
        "internships",
        "Construire avec les entreprises des partenariats durables et mesurés : stages, alternance, "
        "interventions, projets et recrutements.",
        "Stratégie de l'école, besoins des entreprises, réseau des diplômés.",
        "Conventions de partenariat, intervenants professionnels, forum entreprises, taxe d'apprentissage.",
        "Bureau des stages et des relations entreprises, départements, direction.",
        ("8.4", "4.2"),
        (
            "Identifier et démarcher les entreprises partenaires",
            "Négocier et signer les conventions de partenariat",
            "Organiser le forum entreprises",
            "Planifier les interventions de professionnels",
        ),
        ("internship_office", "heads", "director", "communication"),
    ),
    ProcessSpec(
        "R-09",
        ProcessKind.REALISATION,
        "Recherche et transfert de technologie",
        "research",
        "Développer une recherche partenariale qui nourrit les enseignements et répond aux besoins des entreprises.",
        "Stratégie des laboratoires, appels à projets, demandes des entreprises.",
        "Projets de recherche, publications, brevets, projets de recherche des élèves.",
        "Laboratoires associés, plateformes techniques, enseignants-chercheurs.",
        ("8.3", "7.1"),
        (
            "Définir la stratégie de recherche avec les laboratoires",
            "Monter les projets de recherche partenariale",
            "Valoriser les résultats (publications, brevets)",
            "Accueillir les élèves en projets de recherche",
        ),
        ("teachers", "heads", "finance"),
    ),
    ProcessSpec(
        "R-GB1",
        ProcessKind.REALISATION,
        "Travaux pratiques en laboratoire de biologie",
        "lab_manager",
        "Garantir des travaux pratiques de biologie formateurs et sûrs pour les élèves et les personnels.",
        "Syllabus des TP, planning des salles, fiches de données de sécurité.",
        "Séances de TP réalisées, registres de sécurité, déchets éliminés par les filières agréées.",
        "Laboratoires L2, techniciens, équipements de protection, filières déchets.",
        ("7.1", "8.5"),
        (
            "Préparer les séances de TP et les réactifs",
            "Appliquer les règles de sécurité biologique",
            "Gérer les déchets biologiques et chimiques",
        ),
        ("dept:GB", "facilities"),
        department="GB",
    ),
    ProcessSpec(
        "R-GC1",
        ProcessKind.REALISATION,
        "Projets de génie civil en partenariat",
        "head:GC",
        "Faire travailler les élèves sur des projets réels proposés par les entreprises du BTP, de "
        "l'esquisse à la soutenance.",
        "Sujets proposés par les entreprises, équipes d'élèves, cahiers des charges.",
        "Projets livrés, soutenances, évaluations conjointes école-entreprise.",
        "Tuteurs industriels, salles de projet, logiciels BIM.",
        ("8.5", "8.3"),
        (
            "Recueillir les sujets proposés par les entreprises du BTP",
            "Constituer les équipes projet d'élèves",
            "Suivre l'avancement avec les tuteurs industriels",
            "Organiser les soutenances finales",
        ),
        ("dept:GC", "internships"),
        department="GC",
        responsible="teacher_demo",
    ),
    ProcessSpec(
        "R-GE1",
        ProcessKind.REALISATION,
        "Plateforme énergie et projets industriels",
        "head:GE",
        "Mettre la plateforme énergie au service des projets industriels des élèves en toute sécurité.",
        "Demandes de projets, planning de la plateforme, habilitations électriques.",
        "Projets réalisés, bancs d'essai disponibles, habilitations à jour.",
        "Plateforme énergie, techniciens, partenaires industriels.",
        ("7.1", "8.5"),
        (
            "Planifier l'utilisation de la plateforme",
            "Encadrer les projets industriels",
            "Maintenir les bancs d'essai et les habilitations électriques",
        ),
        ("dept:GE", "facilities"),
        department="GE",
    ),
    ProcessSpec(
        "R-IMDS1",
        ProcessKind.REALISATION,
        "Projets data science avec les entreprises",
        "head:IMDS",
        "Conduire avec les entreprises des projets data qui forment les élèves sur des données réelles.",
        "Jeux de données et problématiques des partenaires, accords de confidentialité.",
        "Rapports et modèles livrés, restitutions, registre RGPD à jour.",
        "Serveurs de calcul, encadrants académiques et industriels.",
        ("8.5", "8.3"),
        (
            "Qualifier les jeux de données des partenaires",
            "Encadrer les projets data",
            "Restituer les résultats aux entreprises",
            "Garantir la conformité RGPD des données",
        ),
        ("dept:IMDS", "it"),
        department="IMDS",
    ),
    ProcessSpec(
        "S-01",
        ProcessKind.SUPPORT,
        "Gérer les ressources humaines et les compétences",
        "hr",
        "Disposer des personnes compétentes dont l'école a besoin et développer leurs compétences.",
        "Besoins en postes, campagne d'emplois, entretiens professionnels, réglementation.",
        "Recrutements, plan de formation, entretiens réalisés, bilan social.",
        "Service RH, SIRH, budget formation.",
        ("7.1", "7.2", "7.3"),
        (
            "Recruter les enseignants et les personnels",
            "Accueillir et intégrer les nouveaux arrivants",
            "Construire le plan de formation",
            "Conduire les entretiens professionnels",
        ),
        ("heads", "director", "finance"),
    ),
    ProcessSpec(
        "S-02",
        ProcessKind.SUPPORT,
        "Gérer les systèmes d'information",
        "it",
        "Fournir des outils numériques disponibles, sûrs et adaptés aux besoins de l'école.",
        "Besoins des services, politique de sécurité, incidents.",
        "Services numériques disponibles, habilitations à jour, incidents résolus.",
        "Équipe informatique, infrastructure, prestataires.",
        ("7.1", "7.5"),
        (
            "Administrer l'environnement numérique de travail",
            "Gérer les habilitations et la sécurité informatique",
            "Assister les utilisateurs",
        ),
        ("staff", "quality"),
    ),
    ProcessSpec(
        "S-03",
        ProcessKind.SUPPORT,
        "Gérer le patrimoine, la logistique et la sécurité",
        "facilities",
        "Offrir des locaux et des équipements sûrs, disponibles et sobres en énergie.",
        "Demandes d'intervention, plan pluriannuel de maintenance, réglementation ERP.",
        "Locaux entretenus, salles réservées, registres de sécurité, suivi énergétique.",
        "Services techniques, prestataires de maintenance, budget d'investissement.",
        ("7.1",),
        (
            "Planifier la maintenance des bâtiments",
            "Gérer les réservations de salles",
            "Organiser la sécurité des personnes et des biens",
            "Suivre les consommations d'énergie",
        ),
        ("staff", "lab_manager"),
    ),
    ProcessSpec(
        "S-04",
        ProcessKind.SUPPORT,
        "Gérer le budget et les achats",
        "finance",
        "Allouer et suivre les ressources financières et acheter au meilleur rapport qualité-prix.",
        "Orientations budgétaires, demandes d'achat, règles de la commande publique.",
        "Budget voté, commandes, exécution budgétaire, évaluation des fournisseurs.",
        "Service financier, logiciel de gestion financière, agence comptable.",
        ("7.1", "8.4"),
        (
            "Préparer le budget annuel",
            "Passer et suivre les commandes",
            "Suivre l'exécution budgétaire",
            "Évaluer les fournisseurs",
        ),
        ("director", "heads", "facilities"),
    ),
    ProcessSpec(
        "S-05",
        ProcessKind.SUPPORT,
        "Maîtriser les informations documentées",
        "quality",
        "Tenir à jour, approuver, diffuser et conserver les documents et enregistrements du système qualité.",
        "Documents à créer ou réviser, exigences de conservation.",
        "Documents en vigueur approuvés, enregistrements archivés.",
        "Outil Amelio, gestion électronique des documents, archives.",
        ("7.5",),
        (
            "Rédiger et approuver les documents",
            "Diffuser les documents en vigueur",
            "Archiver et conserver les enregistrements",
        ),
        ("quality_officer", "it", "heads"),
    ),
    ProcessSpec(
        "S-06",
        ProcessKind.SUPPORT,
        "Communiquer en interne et en externe",
        "communication",
        "Faire connaître l'école et ses formations et informer les personnels et les élèves.",
        "Stratégie de l'école, actualités des départements, calendrier des événements.",
        "Plan de communication, site web, réseaux sociaux, lettre interne.",
        "Service communication, site web, agence graphique.",
        ("7.4",),
        (
            "Élaborer le plan de communication",
            "Animer le site web et les réseaux sociaux",
            "Diffuser la lettre interne",
        ),
        ("director", "admissions", "internships", "heads"),
    ),
    ProcessSpec(
        "S-07",
        ProcessKind.SUPPORT,
        "Gérer la scolarité et la vie étudiante",
        "registrar",
        "Assurer la gestion administrative des élèves et accompagner leur vie à l'école.",
        "Élèves admis, règlement intérieur, demandes des élèves.",
        "Inscriptions, dossiers à jour, attestations, aménagements d'études.",
        "Service de la scolarité, référent handicap, associations étudiantes.",
        ("8.5", "7.1"),
        (
            "Gérer les inscriptions administratives",
            "Tenir les dossiers des élèves",
            "Accompagner la vie associative et le handicap",
            "Délivrer les attestations et certificats",
        ),
        ("staff", "heads"),
    ),
]

# source, target, what flows
INTERACTIONS = [
    ("M-01", "M-02", "Objectifs qualité et orientations stratégiques"),
    ("M-01", "R-02", "Orientations de l'offre de formation"),
    ("M-01", "S-04", "Orientations budgétaires"),
    ("M-02", "M-01", "Décisions de la revue de direction"),
    ("M-02", "M-05", "Actions d'amélioration décidées"),
    ("M-02", "S-01", "Besoins en ressources"),
    ("M-03", "M-02", "Rapports d'audit"),
    ("M-03", "M-05", "Écarts constatés"),
    ("M-04", "M-02", "Résultats des enquêtes de satisfaction"),
    ("M-04", "R-02", "Attentes des élèves et des entreprises"),
    ("M-04", "M-05", "Réclamations"),
    ("M-05", "M-02", "Bilan des actions correctives"),
    ("M-05", "S-05", "Documents à réviser"),
    ("R-01", "R-03", "Élèves admis"),
    ("R-01", "S-07", "Dossiers d'inscription"),
    ("R-02", "R-03", "Maquettes et syllabus validés"),
    ("R-02", "R-01", "Capacités d'accueil et prérequis"),
    ("R-02", "S-01", "Besoins en compétences enseignantes"),
    ("R-03", "R-06", "Notes des évaluations"),
    ("R-03", "R-04", "Élèves prêts pour le stage"),
    ("R-03", "M-04", "Évaluations des enseignements"),
    ("R-04", "R-06", "Évaluations de stage"),
    ("R-04", "R-07", "Retours des tuteurs sur l'employabilité"),
    ("R-04", "R-08", "Nouvelles entreprises d'accueil"),
    ("R-05", "R-03", "Calendrier d'alternance"),
    ("R-05", "R-06", "Évaluations en entreprise des apprentis"),
    ("R-05", "S-04", "Contrats et financements OPCO"),
    ("R-06", "R-07", "Diplômés"),
    ("R-06", "S-07", "Relevés de notes et diplômes"),
    ("R-06", "M-02", "Taux de réussite"),
    ("R-07", "M-04", "Résultats de l'enquête d'insertion"),
    ("R-07", "R-08", "Réseau des diplômés"),
    ("R-08", "R-04", "Offres de stage"),
    ("R-08", "R-05", "Entreprises d'accueil des apprentis"),
    ("R-08", "R-03", "Intervenants professionnels"),
    ("R-09", "R-02", "Thématiques de recherche pour les options"),
    ("R-09", "R-08", "Contrats de recherche partenariale"),
    ("R-GB1", "R-03", "Séances de TP réalisées"),
    ("R-GB1", "S-03", "Besoins en équipements et déchets à éliminer"),
    ("R-GC1", "R-08", "Projets menés avec les entreprises du BTP"),
    ("R-GC1", "R-06", "Évaluations des projets"),
    ("R-GE1", "R-09", "Résultats expérimentaux"),
    ("R-GE1", "S-03", "Besoins de maintenance de la plateforme"),
    ("R-IMDS1", "R-08", "Partenariats data"),
    ("R-IMDS1", "S-02", "Besoins en calcul et en données"),
    ("S-01", "R-03", "Enseignants recrutés et formés"),
    ("S-01", "M-02", "Bilan social"),
    ("S-02", "R-03", "Environnement numérique de travail"),
    ("S-02", "S-05", "Outils de gestion documentaire"),
    ("S-03", "R-03", "Salles et laboratoires disponibles"),
    ("S-03", "R-GB1", "Laboratoires entretenus"),
    ("S-04", "M-02", "Exécution budgétaire"),
    ("S-04", "S-03", "Marchés et achats"),
    ("S-05", "M-03", "Documents de référence à jour"),
    ("S-05", "R-02", "Référentiels de formation maîtrisés"),
    ("S-06", "R-01", "Campagnes de promotion des formations"),
    ("S-06", "M-04", "Retours des réseaux et des événements"),
    ("S-07", "R-06", "Dossiers scolaires des élèves"),
    ("S-07", "R-04", "Conventions de stage éditées"),
]

# process code, person key: co-owners (pilotes adjoints) by role
CO_OWNERS = [
    ("M-03", "internal_auditor"),
    ("R-03", "teacher_demo"),
    ("R-05", "apprenticeship_teacher"),
    ("R-09", "head:GE"),
    ("S-05", "quality_officer"),
]

# --- The school's context -----------------------------------------------------------------

# title, origin, effect, description, related process codes
CONTEXT_ISSUES = [
    (
        "Renouvellement de l'accréditation CTI",
        IssueOrigin.EXTERNAL,
        IssueEffect.POSITIVE,
        "La campagne d'accréditation périodique est l'occasion de consolider l'approche compétences et "
        "le suivi de l'insertion des diplômés.",
        ("M-01", "R-02", "R-07"),
    ),
    (
        "Baisse démographique des bacheliers scientifiques",
        IssueOrigin.EXTERNAL,
        IssueEffect.NEGATIVE,
        "Le vivier de candidats issus des classes préparatoires et des bacs scientifiques se réduit à "
        "l'horizon de cinq ans.",
        ("R-01", "S-06"),
    ),
    (
        "Industrie 4.0 et transition numérique des entreprises",
        IssueOrigin.EXTERNAL,
        IssueEffect.POSITIVE,
        "Forte demande d'ingénieurs formés à la donnée, à l'automatisation et aux jumeaux numériques.",
        ("R-02", "R-IMDS1", "R-08"),
    ),
    (
        "Hausse des coûts de l'énergie",
        IssueOrigin.EXTERNAL,
        IssueEffect.NEGATIVE,
        "Les dépenses d'énergie des bâtiments et des plateformes techniques pèsent sur le budget de fonctionnement.",
        ("S-03", "S-04", "R-GE1"),
    ),
    (
        "Réforme du financement de l'apprentissage",
        IssueOrigin.EXTERNAL,
        IssueEffect.NEGATIVE,
        "La baisse des niveaux de prise en charge des contrats fragilise l'équilibre des formations par apprentissage.",
        ("R-05", "S-04"),
    ),
    (
        "Rotation des personnels administratifs",
        IssueOrigin.INTERNAL,
        IssueEffect.NEGATIVE,
        "Plusieurs départs dans les services support font perdre des savoir-faire non documentés.",
        ("S-01", "S-05"),
    ),
    (
        "Attractivité des formations par apprentissage",
        IssueOrigin.INTERNAL,
        IssueEffect.POSITIVE,
        "Les formations par apprentissage reçoivent trois candidatures par place et un excellent retour "
        "des entreprises.",
        ("R-01", "R-05"),
    ),
    (
        "Attentes des élèves en matière de transition écologique",
        IssueOrigin.EXTERNAL,
        IssueEffect.POSITIVE,
        "Les élèves et les entreprises attendent des compétences en sobriété, bas carbone et analyse du "
        "cycle de vie dans toutes les spécialités.",
        ("R-02", "R-03", "R-GC1"),
    ),
    (
        "Vieillissement des équipements de travaux pratiques",
        IssueOrigin.INTERNAL,
        IssueEffect.NEGATIVE,
        "Une partie des bancs de TP a plus de quinze ans ; les pannes perturbent les séances.",
        ("R-GB1", "R-GE1", "S-03"),
    ),
    (
        "Réseau de diplômés actif",
        IssueOrigin.INTERNAL,
        IssueEffect.POSITIVE,
        "L'association des diplômés relaie les offres et participe aux jurys et au forum entreprises.",
        ("R-07", "R-08"),
    ),
    (
        "Concurrence des écoles privées et des formations à l'étranger",
        IssueOrigin.EXTERNAL,
        IssueEffect.NEGATIVE,
        "De nouvelles offres de bachelors et de masters attirent une partie des candidats.",
        ("R-01", "M-01"),
    ),
    (
        "Charge de travail des enseignants-chercheurs",
        IssueOrigin.INTERNAL,
        IssueEffect.NEGATIVE,
        "Le suivi des stages, des apprentis et des projets s'ajoute aux enseignements et à la recherche.",
        ("R-03", "R-04", "R-09", "S-01"),
    ),
]

# name, category, relevance, needs, monitoring, related process codes
INTERESTED_PARTIES = [
    (
        "Élèves ingénieurs",
        PartyCategory.STUDENTS,
        Relevance.HIGH,
        "Une formation reconnue et exigeante, un accompagnement personnalisé, des stages formateurs et "
        "un emploi à la sortie.",
        "Enquêtes de satisfaction semestrielles, délégués de promotion, conseil des études.",
        ("R-01", "R-03", "R-04", "R-06", "S-07"),
    ),
    (
        "Entreprises partenaires et d'accueil",
        PartyCategory.COMPANIES,
        Relevance.HIGH,
        "Des ingénieurs opérationnels, des stagiaires et apprentis bien préparés, des projets et une "
        "relation simple avec l'école.",
        "Évaluations des tuteurs, enquête annuelle entreprises, conseils de perfectionnement.",
        ("R-04", "R-05", "R-08", "R-GC1", "R-IMDS1"),
    ),
    (
        "Diplômés",
        PartyCategory.GRADUATES,
        Relevance.MEDIUM,
        "Un diplôme dont la valeur se maintient, un réseau actif, la formation tout au long de la vie.",
        "Enquête d'insertion à 6 et 18 mois, association des diplômés.",
        ("R-07",),
    ),
    (
        "Commission des titres d'ingénieur (CTI)",
        PartyCategory.ACCREDITATION,
        Relevance.HIGH,
        "Le respect des références et orientations de la CTI, des données certifiées et une démarche "
        "d'amélioration continue.",
        "Dossier d'accréditation, données certifiées annuelles, suivi des recommandations.",
        ("M-01", "R-02"),
    ),
    (
        "Organisme certificateur ISO 9001",
        PartyCategory.CERTIFICATION,
        Relevance.HIGH,
        "Un système de management conforme, des preuves disponibles et des actions correctives efficaces.",
        "Audits de certification et de surveillance, suivi des écarts.",
        ("M-02", "M-03", "S-05"),
    ),
    (
        "Ministère de l'Enseignement supérieur et de la Recherche",
        PartyCategory.STATE,
        Relevance.HIGH,
        "Le respect du contrat d'objectifs, des données fiables et une gestion rigoureuse des moyens.",
        "Dialogue de gestion annuel, indicateurs du contrat.",
        ("M-01", "S-04"),
    ),
    (
        "Personnels enseignants et administratifs",
        PartyCategory.STAFF,
        Relevance.HIGH,
        "Des missions claires, des moyens adaptés, le développement de leurs compétences et la "
        "reconnaissance de leur travail.",
        "Baromètre social, entretiens professionnels, instances représentatives.",
        ("S-01", "S-06"),
    ),
    (
        "Familles des élèves",
        PartyCategory.FAMILIES,
        Relevance.LOW,
        "Une information claire sur la scolarité, les coûts et les débouchés.",
        "Journées portes ouvertes, questions reçues par la scolarité.",
        ("R-01", "S-07"),
    ),
    (
        "Conseil régional",
        PartyCategory.STATE,
        Relevance.MEDIUM,
        "Des formations répondant aux besoins du territoire et le bon usage des financements régionaux.",
        "Conventions de financement, comités de suivi.",
        ("R-05", "M-01"),
    ),
    (
        "Laboratoires de recherche partenaires",
        PartyCategory.OTHER,
        Relevance.MEDIUM,
        "Des élèves formés à la recherche, l'accès aux plateformes et des projets communs.",
        "Conventions de laboratoire, conseil scientifique.",
        ("R-09", "R-GE1"),
    ),
]

SCOPE_TEXT = """\
Le système de management de la qualité de l'École d'ingénieurs Amelio s'applique à la conception \
et à la délivrance des formations d'ingénieurs, sous statut étudiant et par apprentissage, dans ses \
six départements : Génie Biologique, Génie Civil, Génie Électrique, Ingénierie Mathématique et Data \
Science, Génie Physique et Génie des Systèmes de Production.

Il couvre le recrutement des élèves, les enseignements, les stages et la mobilité, l'alternance, \
l'évaluation et la diplomation, l'insertion professionnelle, les partenariats avec les entreprises et \
la recherche partenariale, ainsi que les processus de management et de support qui y contribuent.

Toutes les exigences de la norme ISO 9001:2015 sont applicables."""

POLICY_V1 = """\
L'École d'ingénieurs Amelio forme des ingénieurs compétents, responsables et rapidement insérés, \
en étroite collaboration avec les entreprises.

La direction s'engage à :
- placer la réussite de chaque élève au centre de son action ;
- construire avec les entreprises des partenariats mesurés : stages, alternance, interventions et projets ;
- écouter ses parties intéressées et mesurer leur satisfaction ;
- améliorer en continu ses processus, en s'appuyant sur des indicateurs, des audits et la revue de direction ;
- satisfaire aux exigences applicables, notamment celles de la CTI et de la norme ISO 9001.

Chaque personnel connaît son rôle dans le système et contribue à ces engagements."""

POLICY_V2 = (
    POLICY_V1.replace(
        "- satisfaire aux exigences applicables",
        "- intégrer la transition écologique et la sobriété énergétique dans ses formations et son "
        "fonctionnement ;\n- satisfaire aux exigences applicables",
    )
    + "\n\nCette version tient compte du renouvellement de l'accréditation CTI et de la hausse des coûts de l'énergie."
)


# --- The builder ----------------------------------------------------------------------------

DEMO_EMAILS = {login.email for login in DEMO_LOGINS}
CAMPUS_STUDENTS = 30

SUMMARY_LABELS = {
    "school": _("school"),
    "departments": _("departments"),
    "programmes": _("programmes"),
    "academic_years": _("academic years"),
    "people": _("people"),
    "people_signing_in": _("people who can sign in"),
    "role_assignments": _("role assignments"),
    "processes": _("processes"),
    "interactions": _("process interactions"),
    "activities": _("activities"),
    "raci": _("RACI assignments"),
    "context_issues": _("context issues"),
    "interested_parties": _("interested parties"),
    "statements": _("statement versions"),
    "history": _("history entries"),
    "improvement_items": _("improvement items"),
    "improvement_actions": _("actions"),
    "progress_notes": _("progress notes"),
    "companies": _("companies"),
    "contacts": _("company contacts"),
    "internships": _("internship agreements"),
    "milestones": _("follow-up milestones"),
    "evaluations": _("internship evaluations"),
    "interventions": _("teaching interventions"),
}


def summarise() -> dict[str, int]:
    """How many records of each kind the database holds, by key of SUMMARY_LABELS."""
    return {
        "school": School.objects.count(),
        "departments": Department.objects.count(),
        "programmes": Programme.objects.count(),
        "academic_years": AcademicYear.objects.count(),
        "people": Person.objects.count(),
        "people_signing_in": Person.objects.exclude(password__startswith="!").count(),
        "role_assignments": RoleAssignment.objects.count(),
        "processes": Process.objects.count(),
        "interactions": ProcessInteraction.objects.count(),
        "activities": Activity.objects.count(),
        "raci": RaciAssignment.objects.count(),
        "context_issues": ContextIssue.objects.count(),
        "interested_parties": InterestedParty.objects.count(),
        "statements": Statement.objects.count(),
        "history": HistoryEntry.objects.count(),
        "improvement_items": ImprovementItem.objects.count(),
        "improvement_actions": Action.objects.count(),
        "progress_notes": ProgressNote.objects.count(),
        "companies": Company.objects.count(),
        "contacts": Contact.objects.count(),
        "internships": Internship.objects.count(),
        "milestones": Milestone.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "interventions": Intervention.objects.count(),
    }


def _ascii(text: str) -> str:
    """'Le Gall' -> 'le-gall', 'Hélène' -> 'helene': the local part of an email address."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return plain.lower().replace(" ", "-").replace("'", "")


def _academic_years(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date, bool]]:
    """The current academic year (September to August) and the three before it."""
    current = today.year if today.month >= 9 else today.year - 1
    return [
        (f"{year}-{year + 1}", datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31), year == current)
        for year in range(current - 3, current + 1)
    ]


@dataclass
class _Cast:
    """The people of one campus, by key (who plays which part) and by group (from whom
    the RACI letters of a process are drawn)."""

    people: dict[str, Person] = field(default_factory=dict)
    groups: dict[str, list[Person]] = field(default_factory=dict)

    def add(self, person: Person, key: str | None = None, groups: Sequence[str] = ()) -> Person:
        if key:
            self.people[key] = person
        for group in groups:
            self.groups.setdefault(group, []).append(person)
        return person

    def members(self, names: Sequence[str]) -> list[Person]:
        found: dict[int, Person] = {}
        for name in names:
            for person in self.groups.get(name) or ([self.people[name]] if name in self.people else []):
                found[person.pk] = person
        return list(found.values())


class _SchoolBuilder:
    def __init__(self, *, scale: int, seed: int, stdout: Any) -> None:
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.stdout = stdout
        self.today = timezone.localdate()
        self.departments: dict[str, Department] = {}
        self.programmes: dict[str, list[Programme]] = {}
        self.emails: set[str] = set()
        self.full_names: set[tuple[str, str]] = set()
        self.clauses = {clause.number: clause for clause in Clause.objects.filter(framework__code=ISO_9001)}

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    # People ------------------------------------------------------------------------------

    def email_for(self, first_name: str, last_name: str, local: str | None = None) -> str:
        base = local or f"{_ascii(first_name)}.{_ascii(last_name)}"
        email, number = f"{base}@{DEMO_DOMAIN}", 1
        while email in self.emails:
            number += 1
            email = f"{base}{number}@{DEMO_DOMAIN}"
        self.emails.add(email)
        return email

    def random_name(self) -> tuple[str, str]:
        """A first and last name, different from everyone's so far while the lists allow."""
        name = (self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES))
        for _attempt in range(20):
            if name not in self.full_names and _ascii(name[0]) != _ascii(name[1]):
                break
            name = (self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES))
        self.full_names.add(name)
        return name

    def person(
        self,
        *,
        kind: str,
        job_title: str,
        name: tuple[str, str] | None = None,
        local: str | None = None,
        department: Department | None = None,
        programme: Programme | None = None,
    ) -> Person:
        first_name, last_name = name or self.random_name()
        self.full_names.add((first_name, last_name))
        email = self.email_for(first_name, last_name, local)
        return organisation_services.person_create(
            actor=None,
            data={
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "kind": kind,
                "job_title": job_title,
                "department": department,
                "programme": programme,
            },
            password=DEMO_PASSWORD if email in DEMO_EMAILS else None,
        )

    def grant(self, person: Person, role: str, *, department: Department | None = None, **kwargs: Any) -> None:
        scope_kind = kwargs.pop("scope_kind", ScopeKind.DEPARTMENT if department is not None else ScopeKind.SCHOOL)
        organisation_services.role_grant(
            actor=None,
            person=person,
            role=role,
            scope_kind=scope_kind,
            department=department,
            # The demo's people are fictitious: a thousand "role granted" emails would
            # bury the console of `make run`.
            notify=False,
            **kwargs,
        )

    def teacher(
        self, code: str, *, name: tuple[str, str] | None = None, job_title: str = "", local: str | None = None
    ) -> Person:
        department = self.departments[code]
        person = self.person(
            kind=PersonKind.TEACHER,
            job_title=job_title or self.rng.choice(TEACHER_TITLES),
            name=name,
            local=local,
            department=department,
        )
        self.grant(person, Role.TEACHER, department=department)
        return person

    def student(
        self, code: str, *, name: tuple[str, str] | None = None, local: str | None = None, programme: Any = None
    ) -> Person:
        department = self.departments[code]
        person = self.person(
            kind=PersonKind.STUDENT,
            job_title=f"Élève ingénieur, {self.rng.choice(['1re', '2e', '3e'])} année",
            name=name,
            local=local,
            department=department,
            programme=programme or self.rng.choice(self.programmes[code]),
        )
        self.grant(person, Role.STUDENT, department=department)
        return person

    # Structure ---------------------------------------------------------------------------

    def build_structure(self) -> None:
        model_create(model=School, data=SCHOOL, actor=None)
        for code, name, description in DEPARTMENTS:
            self.departments[code] = organisation_services.department_create(
                actor=None, data={"code": code, "name": name, "description": description}
            )
        for code, name, department_code, by_apprenticeship in PROGRAMMES:
            programme = organisation_services.programme_create(
                actor=None,
                data={
                    "code": code,
                    "name": name,
                    "department": self.departments[department_code],
                    "is_apprenticeship": by_apprenticeship,
                    "duration_years": 3,
                },
            )
            self.programmes.setdefault(department_code, []).append(programme)
        for label, starts_on, ends_on, is_current in _academic_years(self.today):
            organisation_services.academic_year_create(
                actor=None, data={"label": label, "starts_on": starts_on, "ends_on": ends_on, "is_current": is_current}
            )

    def build_people(self) -> _Cast:
        """The 80 people of the main campus; the demo logins among them."""
        cast = _Cast()
        director = cast.add(
            self.person(
                kind=PersonKind.STAFF,
                job_title="Directeur de l'école",
                name=("Philippe", "Rousseau"),
                local="direction",
            ),
            "director",
        )
        quality = cast.add(
            self.person(
                kind=PersonKind.STAFF, job_title="Responsable qualité", name=("Claire", "Fontaine"), local="qualite"
            ),
            "quality",
        )
        self.grant(director, Role.DIRECTOR)
        self.grant(quality, Role.QUALITY_MANAGER)
        for key, first_name, last_name, local, job_title in STAFF:
            person = self.person(kind=PersonKind.STAFF, job_title=job_title, name=(first_name, last_name), local=local)
            cast.add(person, key, ["staff"])
        for key, first_name, last_name, local, job_title in INTERNSHIP_OFFICE:
            person = self.person(kind=PersonKind.STAFF, job_title=job_title, name=(first_name, last_name), local=local)
            cast.add(person, key, ["internship_office"])
            self.grant(person, Role.INTERNSHIP_OFFICE)
        department_names = {code: name for code, name, _description in DEPARTMENTS}
        for code, first_name, last_name, local in DEPARTMENT_HEADS:
            head = self.teacher(
                code,
                name=(first_name, last_name),
                job_title=f"Responsable du département {department_names[code]}",
                local=local,
            )
            self.grant(head, Role.DEPARTMENT_HEAD, department=self.departments[code])
            cast.add(head, f"head:{code}", ["heads", f"dept:{code}"])
        teachers_left = dict(TEACHERS_PER_DEPARTMENT)
        for key, code, first_name, last_name, local, job_title in NAMED_TEACHERS:
            person = self.teacher(code, name=(first_name, last_name), job_title=job_title, local=local)
            cast.add(person, key, ["teachers", f"dept:{code}"])
            teachers_left[code] -= 1
        for code, count in teachers_left.items():
            for _index in range(count):
                cast.add(self.teacher(code), None, ["teachers", f"dept:{code}"])
        self.grant(cast.people["internal_auditor"], Role.INTERNAL_AUDITOR)
        student = self.student("GC", name=("Lucas", "Martin"), local="etudiant", programme=self.programmes["GC"][0])
        cast.add(student, "student_demo")
        for code in self.departments:
            for _index in range(STUDENTS_PER_DEPARTMENT - (1 if code == "GC" else 0)):
                self.student(code)
        auditor = self.person(
            kind=PersonKind.EXTERNAL,
            job_title="Auditrice tierce partie, organisme certificateur",
            name=("Isabelle", "Vasseur"),
            local="auditeur",
        )
        self.grant(
            auditor,
            Role.EXTERNAL_AUDITOR,
            starts_on=self.today,
            ends_on=self.today + datetime.timedelta(days=91),
            reason="Audit de surveillance ISO 9001",
        )
        cast.add(auditor, "external_auditor")
        return cast

    def build_campus_people(self, number: int) -> _Cast:
        """The 80 people of another campus, in the same parts as the main one."""
        cast, campus = _Cast(), f"campus {number}"
        titles = {"director": "Directeur délégué", "quality": "Responsable qualité"}
        titles |= {key: title for key, _first, _last, _local, title in STAFF}
        internship_keys = {key for key, *_rest in INTERNSHIP_OFFICE}
        titles |= {key: title for key, _first, _last, _local, title in INTERNSHIP_OFFICE}
        for key, title in titles.items():
            person = self.person(kind=PersonKind.STAFF, job_title=f"{title}, {campus}")
            if key in internship_keys:
                cast.add(person, key, ["internship_office"])
                self.grant(person, Role.INTERNSHIP_OFFICE)
            else:
                cast.add(person, key, ["staff"] if key in {k for k, *_rest in STAFF} else [])
        codes = list(self.departments)
        for code in codes:
            head = self.teacher(code, job_title=f"Responsable du département, {campus}")
            cast.add(head, f"head:{code}", ["heads", f"dept:{code}"])
        for key, code, *_rest in NAMED_TEACHERS:
            cast.add(self.teacher(code), key, ["teachers", f"dept:{code}"])
        teachers = BASE_PEOPLE - CAMPUS_STUDENTS - len(titles) - len(codes) - len(NAMED_TEACHERS)
        for index in range(teachers):
            code = codes[index % len(codes)]
            cast.add(self.teacher(code), None, ["teachers", f"dept:{code}"])
        for index in range(CAMPUS_STUDENTS):
            self.student(codes[index % len(codes)])
        return cast

    # Processes ---------------------------------------------------------------------------

    def build_processes(self, cast: _Cast, *, number: int = 1) -> dict[str, Process]:
        """The 25 processes of the map (a numbered copy for another campus), their
        interactions, activities, RACI and co-owners."""
        suffix, campus = (f"-C{number:02d}", f" — campus {number}") if number > 1 else ("", "")
        processes: dict[str, Process] = {}
        for spec in PROCESSES:
            processes[spec.code] = process_services.process_create(
                actor=None,
                data={
                    "code": spec.code + suffix,
                    "name": spec.name + campus,
                    "kind": spec.kind,
                    "purpose": spec.purpose,
                    "owner": cast.people[spec.owner],
                    "department": self.departments[spec.department] if spec.department else None,
                    "inputs": spec.inputs,
                    "outputs": spec.outputs,
                    "resources": spec.resources,
                    "clauses": [self.clauses[clause] for clause in spec.clauses if clause in self.clauses],
                },
            )
        flows: dict[str, dict[str, str]] = {}
        for source, target, description in INTERACTIONS:
            flows.setdefault(source, {})[target] = description
        for code, targets in flows.items():
            process = processes[code]
            process_services.process_update(
                actor=None, process=process, data={"interacts_with": [processes[target] for target in targets]}
            )
            # What flows along an arrow is the arrow's tooltip on the map; no form edits it yet,
            # so no service either.
            arrows = list(ProcessInteraction.objects.filter(source=process).select_related("target"))
            for arrow in arrows:
                arrow.description = targets[arrow.target.code.removesuffix(suffix)]
            ProcessInteraction.objects.bulk_update(arrows, ["description"])
        for spec in PROCESSES:
            self.build_activities(spec, processes[spec.code], cast)
        for code, key in CO_OWNERS:
            self.grant(
                cast.people[key],
                Role.PROCESS_OWNER,
                scope_kind=ScopeKind.PROCESS,
                process=processes[code],
                reason="Pilote adjoint du processus",
            )
        return processes

    def build_activities(self, spec: ProcessSpec, process: Process, cast: _Cast) -> None:
        """Three to five activities; for each, the owner is accountable, one or two people
        responsible, one or two consulted and one informed."""
        owner = cast.people[spec.owner]
        responsible = cast.people.get(spec.responsible) if spec.responsible else None
        excluded = {owner.pk, responsible.pk if responsible else None}
        pool = [person for person in cast.members(spec.team) if person.pk not in excluded]
        for position, name in enumerate(spec.activities, start=1):
            activity = process_services.activity_create(
                actor=None, process=process, data={"position": position, "name": name}
            )
            drawn = self.rng.sample(pool, min(len(pool), self.rng.randint(3, 4)))
            if responsible is not None:
                drawn.insert(0, responsible)
            letters = [RaciResponsibility.RESPONSIBLE]
            if len(drawn) > 3:
                letters.append(self.rng.choice([RaciResponsibility.RESPONSIBLE, RaciResponsibility.CONSULTED]))
            letters += [RaciResponsibility.CONSULTED] * (len(drawn) - len(letters) - 1)
            letters.append(RaciResponsibility.INFORMED)
            process_services.raci_assign(
                actor=None, activity=activity, person=owner, responsibility=RaciResponsibility.ACCOUNTABLE
            )
            for person, letter in zip(drawn, letters, strict=False):
                process_services.raci_assign(actor=None, activity=activity, person=person, responsibility=letter)

    # Context and statements --------------------------------------------------------------

    def build_context(self, processes: dict[str, Process]) -> None:
        for title, origin, effect, description, codes in CONTEXT_ISSUES:
            process_services.context_issue_create(
                actor=None,
                data={
                    "title": title,
                    "origin": origin,
                    "effect": effect,
                    "description": description,
                    "processes": [processes[code] for code in codes],
                    "reviewed_on": self.today - datetime.timedelta(days=self.rng.randint(20, 200)),
                },
            )
        for name, category, relevance, needs, monitoring, codes in INTERESTED_PARTIES:
            process_services.interested_party_create(
                actor=None,
                data={
                    "name": name,
                    "category": category,
                    "relevance": relevance,
                    "needs": needs,
                    "monitoring": monitoring,
                    "processes": [processes[code] for code in codes],
                },
            )

    def build_statements(self, cast: _Cast) -> None:
        # Top management approves (clause 5.1): the director signs, so each version says who.
        director, quality = cast.people["director"], cast.people["quality"]
        scope = process_services.statement_write(actor=quality, kind=StatementKind.SCOPE, text=SCOPE_TEXT)
        process_services.statement_approve(actor=director, statement=scope)
        policy = process_services.statement_write(actor=director, kind=StatementKind.POLICY, text=POLICY_V1)
        process_services.statement_approve(actor=director, statement=policy)
        process_services.statement_write(actor=quality, kind=StatementKind.POLICY, text=POLICY_V2)

    # The whole -----------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        self.build_structure()
        cast = self.build_people()
        self.say(f"main campus: {Person.objects.count()} people")
        processes = self.build_processes(cast)
        self.build_context(processes)
        self.build_statements(cast)
        self.say(f"main campus: {Process.objects.count()} processes, context and statements")
        # Its own random draws, so that the campuses below stay the same as without it.
        build_improvement_demo(rng=random.Random(self.seed + 1), stdout=self.stdout)
        build_internship_demo(rng=random.Random(self.seed + 2), stdout=self.stdout)
        # The internship demo adds students of its own: the campuses' addresses must avoid theirs.
        self.emails.update(Person.objects.values_list("email", flat=True))
        for number in range(2, self.scale + 1):
            self.build_processes(self.build_campus_people(number), number=number)
            self.say(f"campus {number}: {Person.objects.count()} people, {Process.objects.count()} processes")
        return summarise()


def build_demo_school(*, scale: int = 1, seed: int = 2026, stdout: Any = None) -> dict[str, int]:
    """Build the demo school in one transaction and return the counts of `summarise()`.

    80 × `scale` people and 25 × `scale` processes (the extra ones as numbered campuses),
    six departments and twelve programmes whatever the scale, and on the main campus about
    120 improvement items with their actions (`amelio.improvement.demo`), and 400
    companies, 560 more students and 1,500 internships (`amelio.internships.demo`).
    Expects an empty database.
    Progress lines go to `stdout` (anything with `write`) when given.
    """
    if scale < 1:
        raise ValueError("The scale must be 1 or more.")
    with transaction.atomic():
        return _SchoolBuilder(scale=scale, seed=seed, stdout=stdout).build()
