"""The demo school's continuous improvement: about 120 items raised over the last two
academic years, walked through the real services by the people whose job it is, with
their actions, progress notes and effectiveness checks.

`build_improvement_demo()` runs at the end of the main campus of `amelio.core.demo`, in the
same transaction, on a database where the school, its people and its processes exist.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone

from amelio.notifications.choices import EmailMode
from amelio.notifications.models import Notification
from amelio.notifications.services import email_mode_of, preference_set
from amelio.organisation.choices import PersonKind, Role, ScopeKind
from amelio.organisation.models import Department, Person, RoleAssignment
from amelio.processes.models import Process

from . import services
from .choices import ActionKind, ComplainantKind, ItemStatus, Origin, RootCauseMethod, Severity
from .models import Action, ImprovementItem, ProgressNote

# The demo logins with a part in the story (see DEMO_LOGINS in amelio/core/demo.py, which
# imports this module and so cannot be imported from here).
QUALITY_MANAGER_EMAIL = "qualite@amelio-demo.fr"
DEMO_TEACHER_EMAIL = "enseignant@amelio-demo.fr"
DEMO_STUDENT_EMAIL = "etudiant@amelio-demo.fr"

NC, RE, SU, OA = Origin.NONCONFORMITY, Origin.COMPLAINT, Origin.SUGGESTION, Origin.OPPORTUNITY
CORRECTIVE, PREVENTIVE, IMPROVEMENT = ActionKind.CORRECTIVE, ActionKind.PREVENTIVE, ActionKind.IMPROVEMENT
MINOR, MAJOR = Severity.MINOR, Severity.MAJOR


@dataclass(frozen=True)
class Scenario:
    """One story of the register. Texts may hold {dept} (the department's name),
    {of_dept} ("de Génie Civil", "d'Ingénierie…"), {semester}, {subject} and {of_subject};
    a scenario with `times` > 1 happens in several departments.

    `raiser` and the third member of each action (its owner) name a person: a process
    code (its owner), "student", "teacher", "staff", "head" (of the item's department),
    "internal_auditor", "quality", "teacher_demo" or "student_demo"."""

    origin: str
    process: str
    title: str
    description: str
    cause: str
    actions: tuple[tuple[str, str, str], ...]
    raiser: str = "teacher"
    department: str | None = None  # a department code, "*" for any, None for the whole school
    severity: str = ""
    complainant: str = ""
    contact: str = ""
    correction: str = ""
    times: int = 1


SCENARIOS = [
    # --- Nonconformities, raised by teachers, staff and the internal auditor ----------------
    Scenario(
        NC,
        "R-04",
        "Convention de stage signée après le début du stage",
        "Un élève de 4e année a commencé son stage dans un bureau d'études le 2 juin ; l'entreprise n'a signé "
        "la convention que le 16 juin. L'élève n'était pas couvert pendant deux semaines.",
        "Le circuit de signature passe par trois signataires successifs sans relance ni date limite, et rien "
        "n'empêche un stage de commencer sans convention signée.",
        (
            (CORRECTIVE, "Bloquer le début du stage dans l'outil tant que la convention n'est pas signée", "S-02"),
            (PREVENTIVE, "Relancer automatiquement les signataires à J-15 et J-7", "R-04"),
            (IMPROVEMENT, "Rappeler la règle aux tuteurs académiques en réunion de rentrée", "head"),
        ),
        department="*",
        severity=MAJOR,
        correction="Stage suspendu jusqu'à la signature ; l'assureur de l'école a été prévenu.",
    ),
    Scenario(
        NC,
        "S-03",
        "Salle de TP de génie électrique sans ventilation",
        "La salle B112 (bancs de puissance) atteint 31 °C en séance ; la VMC est à l'arrêt depuis les "
        "vacances. Deux élèves ont eu un malaise léger le 12 septembre.",
        "Le contrat de maintenance de la VMC du bâtiment B n'a pas été repris lors du changement de "
        "prestataire, et aucune alarme ne signale la panne.",
        (
            (CORRECTIVE, "Réparer la VMC du bâtiment B et mesurer les débits", "S-03"),
            (PREVENTIVE, "Intégrer toutes les VMC au contrat de maintenance multitechnique", "S-04"),
            (PREVENTIVE, "Ajouter un relevé de température au registre de sécurité des salles de TP", "R-GE1"),
        ),
        department="GE",
        severity=MAJOR,
        correction="Séances déplacées en salle B105 ; ventilateurs mobiles installés.",
    ),
    Scenario(
        NC,
        "R-06",
        "Retard de publication des notes du semestre {semester} ({dept})",
        "Les notes du semestre {semester} du département {dept} ont été publiées six semaines après le jury, "
        "au lieu des trois semaines prévues par le règlement des études.",
        "Les notes de deux modules étaient tenues dans un tableur hors de l'outil de scolarité ; leur import "
        "manuel a été oublié puis fait dans l'urgence.",
        (
            (CORRECTIVE, "Saisir toutes les notes directement dans l'outil de scolarité", "R-06"),
            (PREVENTIVE, "Envoyer aux responsables de module la liste des notes manquantes à J+10", "S-02"),
        ),
        raiser="head",
        department="*",
        severity=MINOR,
        correction="Relevés publiés à la main après vérification par la scolarité.",
        times=3,
    ),
    Scenario(
        NC,
        "R-03",
        "Sujet d'examen {of_subject} comportant une erreur d'énoncé",
        "Une donnée numérique erronée rendait la question 3 insoluble ; toute la promotion {of_dept} est concernée.",
        "Le sujet n'a pas été relu par un second enseignant : la relecture croisée n'est prévue ni pour les "
        "rattrapages ni pour les modules à enseignant unique.",
        (
            (CORRECTIVE, "Instaurer la relecture croisée de tous les sujets d'examen", "R-03"),
            (PREVENTIVE, "Ajouter une case « relu par » au bordereau de dépôt des sujets", "teacher_demo"),
        ),
        department="*",
        severity=MINOR,
        correction="Question 3 neutralisée, barème recalculé sur 17 points.",
        times=3,
    ),
    Scenario(
        NC,
        "R-03",
        "Cours magistral sans enseignant : vacataire non prévenu du changement de salle",
        "L'intervenant de l'entreprise attendait en salle A204 pendant que 90 élèves l'attendaient en "
        "amphithéâtre B. Le cours a été perdu.",
        "Les changements de salle ne sont envoyés qu'aux adresses de l'école, que les vacataires ne consultent pas.",
        (
            (CORRECTIVE, "Envoyer les changements de salle à l'adresse personnelle des vacataires", "S-02"),
            (CORRECTIVE, "Programmer le rattrapage du cours perdu", "teacher_demo"),
        ),
        department="GC",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "R-01",
        "Dossiers de candidature perdus lors de la migration de la plateforme d'admission",
        "Douze dossiers déposés la dernière semaine de mars n'apparaissent plus dans la nouvelle plateforme ; "
        "les candidats ont été relancés par les jurys pour des pièces déjà fournies.",
        "La migration a été faite à partir d'un export daté du 20 mars, sans reprise des dépôts postérieurs ni "
        "contrôle du nombre de dossiers avant et après.",
        (
            (CORRECTIVE, "Récupérer les douze dossiers depuis les courriels des candidats", "R-01"),
            (PREVENTIVE, "Écrire une procédure de migration avec contrôle des volumes", "S-02"),
        ),
        raiser="staff",
        severity=MAJOR,
        correction="Candidats prévenus et délai de dépôt prolongé d'une semaine pour eux.",
    ),
    Scenario(
        NC,
        "S-02",
        "Coupure de l'ENT pendant la période d'inscriptions pédagogiques",
        "L'ENT a été indisponible de 9 h à 16 h le premier jour des inscriptions aux options ; la scolarité a "
        "reçu plus de 200 courriels.",
        "La mise à jour du serveur d'authentification a été planifiée sans consulter le calendrier de la scolarité.",
        (
            (CORRECTIVE, "Rouvrir les inscriptions aux options pendant deux jours", "S-07"),
            (PREVENTIVE, "Geler les mises à jour pendant les périodes sensibles du calendrier", "S-02"),
        ),
        raiser="S-07",
        severity=MAJOR,
        correction="Inscriptions prolongées de 24 heures.",
    ),
    Scenario(
        NC,
        "R-GB1",
        "Registre des produits chimiques du laboratoire de biologie non à jour",
        "Lors de la visite de sécurité, 14 produits présents dans l'armoire ventilée ne figuraient pas au "
        "registre, dont deux CMR.",
        "Personne n'est désigné pour tenir le registre depuis le départ du technicien en janvier.",
        (
            (CORRECTIVE, "Mettre à jour le registre et les fiches de données de sécurité", "R-GB1"),
            (PREVENTIVE, "Désigner un référent produits chimiques et son suppléant", "head"),
            (PREVENTIVE, "Inscrire un inventaire trimestriel au planning du laboratoire", "R-GB1"),
        ),
        raiser="internal_auditor",
        department="GB",
        severity=MAJOR,
        correction="Inventaire complet de l'armoire réalisé dans la journée.",
    ),
    Scenario(
        NC,
        "R-GB1",
        "Autoclave utilisé sans vérification périodique à jour",
        "La dernière vérification réglementaire de l'autoclave du laboratoire L3 date de plus de 14 mois.",
        "L'échéance n'est suivie que dans l'agenda personnel de l'ancienne responsable.",
        (
            (CORRECTIVE, "Faire vérifier l'autoclave par l'organisme agréé", "S-03"),
            (PREVENTIVE, "Suivre les vérifications réglementaires des équipements dans un registre partagé", "R-GB1"),
        ),
        department="GB",
        severity=MAJOR,
        correction="Autoclave consigné jusqu'à la vérification.",
    ),
    Scenario(
        NC,
        "R-GC1",
        "Visite de chantier sans équipements de protection pour tous les élèves",
        "Sur les 28 élèves de la visite du chantier de la gare, six n'avaient ni casque ni chaussures de "
        "sécurité ; le conducteur de travaux a refusé leur accès.",
        "La liste des équipements n'est pas dans la préparation des sorties et le stock de casques du "
        "département n'est pas suivi.",
        (
            (CORRECTIVE, "Acheter 30 casques et gilets pour le département", "S-04"),
            (PREVENTIVE, "Ajouter les équipements de protection à la liste de préparation des visites", "R-GC1"),
        ),
        raiser="teacher_demo",
        department="GC",
        severity=MAJOR,
        correction="Visite écourtée ; les élèves sans équipement sont restés hors de la zone.",
    ),
    Scenario(
        NC,
        "R-GE1",
        "Banc de puissance utilisé sans consignation affichée",
        "Un groupe de projet est intervenu sur le banc 400 V sans que la consignation soit affichée ni le "
        "cadenas posé.",
        "Les élèves de projet n'ont pas reçu la formation à l'habilitation électrique avant d'accéder à la plateforme.",
        (
            (CORRECTIVE, "Former les élèves de projet à l'habilitation électrique B0-BS", "R-GE1"),
            (PREVENTIVE, "Conditionner l'accès au badge de la plateforme à l'habilitation", "S-03"),
        ),
        department="GE",
        severity=MAJOR,
        correction="Accès à la plateforme suspendu pour le groupe jusqu'à la formation.",
    ),
    Scenario(
        NC,
        "R-IMDS1",
        "Données d'une entreprise partenaire partagées sans accord de confidentialité",
        "Un jeu de données clients fourni pour un projet a été publié sur un dépôt de code public par un "
        "groupe d'élèves.",
        "Le cahier des charges des projets ne contient ni accord de confidentialité type ni consignes de "
        "stockage des données.",
        (
            (CORRECTIVE, "Rédiger un accord de confidentialité type pour les projets", "R-08"),
            (PREVENTIVE, "Fournir un espace de stockage privé à chaque groupe de projet", "S-02"),
            (PREVENTIVE, "Séance de sensibilisation au RGPD en début de projet", "head"),
        ),
        department="IMDS",
        severity=MAJOR,
        correction="Dépôt supprimé et entreprise informée dans les 48 heures.",
    ),
    Scenario(
        NC,
        "S-05",
        "Procédure d'admission appliquée dans une version périmée",
        "L'audit interne a trouvé la version 3 de la procédure imprimée au service des admissions, alors que "
        "la version 5 est en vigueur.",
        "Les versions imprimées ne sont ni recensées ni retirées lors d'une mise à jour.",
        (
            (CORRECTIVE, "Retirer les versions imprimées et afficher un lien vers la version en vigueur", "R-01"),
            (PREVENTIVE, "Mentionner « copie non maîtrisée une fois imprimée » sur les documents", "S-05"),
        ),
        raiser="internal_auditor",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "R-06",
        "Jury de diplôme tenu sans le quorum prévu par le règlement",
        "Le jury de septembre a délibéré avec quatre membres sur les six requis.",
        "La convocation est partie dix jours avant au lieu de trois semaines, en pleine période de congés.",
        (
            (CORRECTIVE, "Faire valider les décisions par un jury complémentaire", "R-06"),
            (PREVENTIVE, "Fixer le calendrier des jurys de l'année dès la rentrée", "R-06"),
        ),
        raiser="internal_auditor",
        severity=MAJOR,
    ),
    Scenario(
        NC,
        "R-05",
        "Contrat d'apprentissage déposé hors délai auprès de l'OPCO",
        "Le contrat d'un apprenti a été déposé 41 jours après son début ; la prise en charge a été refusée "
        "pour le premier mois.",
        "Le dépôt dépend de la réception de la convention de formation signée, que personne ne relance.",
        (
            (CORRECTIVE, "Négocier avec l'OPCO la prise en charge du premier mois", "S-04"),
            (PREVENTIVE, "Suivre les dépôts de contrats dans un tableau partagé avec relance hebdomadaire", "R-05"),
        ),
        raiser="S-04",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "R-05",
        "Pas de visite en entreprise pour trois apprentis {of_dept}",
        "Trois apprentis {of_dept} n'ont reçu aucune visite de leur tuteur académique à la fin de la période "
        "en entreprise, alors que le livret en prévoit une par période.",
        "Les visites ne sont pas planifiées au moment de l'affectation des tuteurs, et un tuteur est parti "
        "en congé sans remplaçant.",
        (
            (CORRECTIVE, "Organiser les trois visites manquantes", "head"),
            (PREVENTIVE, "Planifier les visites dès l'affectation des tuteurs", "R-05"),
        ),
        raiser="head",
        department="*",
        severity=MINOR,
        times=2,
    ),
    Scenario(
        NC,
        "S-07",
        "Attestations de scolarité délivrées avec une mauvaise année universitaire",
        "Pendant la première semaine de septembre, les attestations téléchargées portaient l'année précédente.",
        "Le changement d'année n'est pas dans la liste des opérations de rentrée de l'outil de scolarité.",
        (
            (CORRECTIVE, "Régénérer et renvoyer les attestations erronées", "S-07"),
            (PREVENTIVE, "Ajouter le changement d'année à la liste des opérations de rentrée", "S-02"),
        ),
        raiser="staff",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "S-01",
        "Entretiens professionnels non réalisés pour un tiers des personnels administratifs",
        "L'audit interne a relevé que 11 des 32 personnels administratifs n'ont pas eu d'entretien depuis "
        "plus de deux ans.",
        "La campagne d'entretiens n'a pas de calendrier ni de suivi de réalisation.",
        (
            (CORRECTIVE, "Réaliser les entretiens manquants avant la fin du semestre", "S-01"),
            (PREVENTIVE, "Suivre la campagne d'entretiens par service", "S-01"),
        ),
        raiser="internal_auditor",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "S-04",
        "Bon de commande de réactifs émis sans devis comparatif",
        "Une commande de 6 800 € HT a été passée sur un seul devis, au-dessus du seuil de mise en concurrence.",
        "Le seuil n'est pas contrôlé par l'outil de commande et les laboratoires ne le connaissent pas.",
        (
            (PREVENTIVE, "Bloquer dans l'outil les commandes au-dessus du seuil sans trois devis", "S-04"),
            (IMPROVEMENT, "Présenter les règles d'achat aux responsables de laboratoire", "S-04"),
        ),
        raiser="internal_auditor",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "R-04",
        "Stage validé sans évaluation du tuteur en entreprise ({dept})",
        "Quatre stages {of_dept} ont été validés par le jury sans la fiche d'évaluation du tuteur en entreprise.",
        "La fiche d'évaluation n'est pas une pièce obligatoire du dossier présenté au jury.",
        (
            (CORRECTIVE, "Obtenir les quatre évaluations manquantes", "R-04"),
            (PREVENTIVE, "Rendre la fiche d'évaluation obligatoire avant le passage en jury", "R-06"),
        ),
        department="*",
        severity=MINOR,
        times=2,
    ),
    Scenario(
        NC,
        "R-03",
        "Emploi du temps {of_dept} publié après la rentrée",
        "L'emploi du temps du semestre {semester} {of_dept} a été publié trois jours après le début des cours.",
        "Les disponibilités des vacataires sont demandées en juillet, trop tard pour la construction des "
        "emplois du temps.",
        (
            (CORRECTIVE, "Publier un planning provisoire des deux premières semaines", "head"),
            (PREVENTIVE, "Recueillir les disponibilités des vacataires avant le 15 mai", "R-03"),
        ),
        department="*",
        severity=MINOR,
        times=3,
    ),
    Scenario(
        NC,
        "R-09",
        "Cahiers de laboratoire non signés ni datés",
        "Sur les six cahiers contrôlés, quatre n'ont aucune page datée et signée depuis trois mois.",
        "Les doctorants ne connaissent pas la règle de tenue des cahiers, qui ne figure dans aucun document.",
        (
            (CORRECTIVE, "Rédiger une consigne de tenue des cahiers de laboratoire", "R-09"),
            (PREVENTIVE, "Contrôler les cahiers à chaque comité de suivi de thèse", "R-09"),
        ),
        raiser="internal_auditor",
        department="GP",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "S-03",
        "Issue de secours encombrée dans le bâtiment C",
        "Des cartons de matériel livré obstruent l'issue de secours du rez-de-chaussée du bâtiment C depuis "
        "une semaine.",
        "Aucune zone de stockage temporaire n'est prévue pour les livraisons du bâtiment C.",
        (
            (CORRECTIVE, "Dégager l'issue de secours", "S-03"),
            (PREVENTIVE, "Aménager une zone de réception des livraisons", "S-03"),
        ),
        raiser="staff",
        severity=MAJOR,
        correction="Cartons déplacés le jour même par l'équipe logistique.",
    ),
    Scenario(
        NC,
        "R-02",
        "Fiche de module non mise à jour après la révision de la maquette",
        "Les fiches de trois modules {of_dept} décrivent encore le volume horaire et les évaluations de "
        "l'ancienne maquette.",
        "La révision de la maquette ne déclenche pas la mise à jour des fiches de module.",
        (
            (CORRECTIVE, "Mettre à jour les trois fiches de module", "head"),
            (PREVENTIVE, "Ajouter la mise à jour des fiches à la procédure de révision des maquettes", "R-02"),
        ),
        raiser="M-04",
        department="*",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "R-06",
        "Erreur de calcul de moyenne dans un relevé de notes ({dept})",
        "Un élève {of_dept} a signalé une moyenne de semestre calculée sans le coefficient du projet.",
        "Le coefficient du projet a été modifié en cours d'année dans la maquette mais pas dans l'outil.",
        (
            (CORRECTIVE, "Recalculer les moyennes de la promotion et rééditer les relevés", "R-06"),
            (PREVENTIVE, "Contrôle croisé des coefficients entre maquette et outil à chaque rentrée", "S-07"),
        ),
        raiser="student",
        department="*",
        severity=MAJOR,
        times=2,
    ),
    Scenario(
        NC,
        "S-02",
        "Comptes informatiques d'anciens vacataires toujours actifs",
        "L'audit a trouvé 37 comptes de vacataires partis depuis plus d'un an, dont trois avec des droits "
        "d'accès à l'outil de notes.",
        "La fin d'un contrat de vacataire n'est pas transmise au service informatique.",
        (
            (CORRECTIVE, "Désactiver les comptes des vacataires partis", "S-02"),
            (PREVENTIVE, "Transmettre automatiquement les fins de contrat au service informatique", "S-01"),
        ),
        raiser="internal_auditor",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "M-03",
        "Audit interne du processus R-07 non réalisé à la date prévue",
        "L'audit de l'insertion professionnelle prévu en mars n'a pas eu lieu et n'a pas été reprogrammé.",
        "Un seul auditeur était formé pour ce processus et il était indisponible.",
        (
            (CORRECTIVE, "Reprogrammer l'audit avant la revue de direction", "M-03"),
            (PREVENTIVE, "Former deux auditeurs supplémentaires", "M-03"),
        ),
        raiser="M-04",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "S-02",
        "Salle informatique {of_dept} : licences logicielles expirées",
        "Les licences du logiciel de calcul de la salle informatique {of_dept} ont expiré en cours de "
        "semestre ; deux séances de TP ont été annulées.",
        "Les dates de fin de licence ne sont suivies par personne.",
        (
            (CORRECTIVE, "Renouveler les licences", "S-02"),
            (PREVENTIVE, "Suivre les échéances des licences dans l'inventaire logiciel", "S-02"),
        ),
        department="*",
        severity=MINOR,
        times=2,
    ),
    Scenario(
        NC,
        "R-02",
        "Pas de compte rendu du conseil de perfectionnement {of_dept}",
        "Le conseil de perfectionnement {of_dept} s'est réuni mais aucun compte rendu n'a été diffusé ni archivé.",
        "La rédaction du compte rendu n'est attribuée à personne.",
        (
            (CORRECTIVE, "Rédiger et diffuser le compte rendu", "head"),
            (PREVENTIVE, "Modèle de compte rendu et secrétaire de séance désigné", "R-02"),
        ),
        raiser="internal_auditor",
        department="*",
        severity=MINOR,
        times=2,
    ),
    Scenario(
        NC,
        "M-04",
        "Évaluation des enseignements du semestre {semester} : moins de 20 % de réponses en {dept}",
        "Le questionnaire d'évaluation des enseignements du semestre {semester} n'a obtenu que 17 % de "
        "réponses en {dept}.",
        "Le questionnaire est envoyé pendant les examens et n'est pas rappelé en cours.",
        (
            (CORRECTIVE, "Rouvrir le questionnaire avec un temps de réponse en cours", "head"),
            (PREVENTIVE, "Programmer l'évaluation avant la période d'examens", "M-04"),
        ),
        raiser="M-04",
        department="*",
        severity=MINOR,
        times=2,
    ),
    Scenario(
        NC,
        "S-03",
        "Matériel de TP {of_subject} hors d'usage depuis la rentrée",
        "Deux postes sur six du TP {of_subject} sont en panne ; les élèves travaillent à cinq par poste.",
        "Les pannes sont signalées oralement et aucune demande d'intervention n'est ouverte.",
        (
            (CORRECTIVE, "Réparer ou remplacer les deux postes", "S-03"),
            (PREVENTIVE, "Signaler les pannes par le formulaire d'intervention", "head"),
        ),
        department="*",
        severity=MINOR,
        times=3,
    ),
    Scenario(
        NC,
        "S-01",
        "Intervenant {of_subject} sans contrat signé au premier cours",
        "L'intervenant extérieur {of_subject} a donné ses six premières heures sans contrat signé.",
        "Le dossier de recrutement des vacataires est lancé après l'emploi du temps, trop tard.",
        (
            (CORRECTIVE, "Signer le contrat avec effet à la date du premier cours", "S-01"),
            (PREVENTIVE, "Lancer le recrutement des vacataires dès la validation des services", "S-01"),
        ),
        department="*",
        severity=MINOR,
        times=2,
    ),
    Scenario(
        NC,
        "S-04",
        "Facture d'un fournisseur payée deux fois",
        "La facture de maintenance des ascenseurs de mars a été payée deux fois (4 120 € TTC).",
        "La facture est arrivée par courrier et par courriel et a été saisie deux fois.",
        (
            (CORRECTIVE, "Obtenir le remboursement du fournisseur", "S-04"),
            (PREVENTIVE, "Contrôle automatique des doublons de numéro de facture", "S-02"),
        ),
        raiser="staff",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "S-06",
        "Site web : page des admissions affichant les dates de l'an dernier",
        "Jusqu'au 10 janvier, la page des admissions indiquait les dates de concours de l'année précédente.",
        "La mise à jour des pages dépend d'une demande du service des admissions, qui n'a pas été faite.",
        (
            (CORRECTIVE, "Mettre à jour la page des admissions", "S-06"),
            (PREVENTIVE, "Calendrier annuel de mise à jour des pages institutionnelles", "S-06"),
        ),
        raiser="R-01",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "M-05",
        "Actions du plan qualité non suivies depuis six mois",
        "Neuf actions du plan qualité n'ont aucun point d'avancement depuis six mois.",
        "Le plan est suivi dans un tableur que seuls deux pilotes ouvrent.",
        (
            (CORRECTIVE, "Faire le point avec chaque pilote", "M-05"),
            (IMPROVEMENT, "Passer le suivi des actions dans Amelio", "M-05"),
        ),
        raiser="internal_auditor",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "R-04",
        "Attestations de stage non remises aux élèves revenant de l'étranger",
        "Cinq élèves revenus de stage à l'étranger attendent leur attestation depuis plus de deux mois.",
        "Les attestations des stages à l'étranger sont demandées à l'entreprise par courrier postal.",
        ((CORRECTIVE, "Demander les attestations par courriel aux cinq entreprises", "R-04"),),
        raiser="staff",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "S-03",
        "Ascenseur du bâtiment A en panne : accès impossible pour un élève en fauteuil",
        "L'ascenseur du bâtiment A est en panne depuis neuf jours ; un élève en fauteuil ne peut plus "
        "accéder aux salles du 2e étage.",
        "Le contrat de maintenance ne prévoit pas de délai d'intervention garanti.",
        (
            (CORRECTIVE, "Déplacer les cours du groupe au rez-de-chaussée", "S-07"),
            (PREVENTIVE, "Renégocier le contrat avec un délai d'intervention de 48 heures", "S-04"),
        ),
        raiser="staff",
        severity=MAJOR,
        correction="Cours du groupe déplacés au rez-de-chaussée dès le lendemain.",
    ),
    Scenario(
        NC,
        "R-02",
        "Compétences du référentiel non couvertes par la maquette {of_dept}",
        "Trois compétences du référentiel de la formation {of_dept} ne sont évaluées dans aucun module.",
        "La matrice compétences-modules n'a pas été refaite lors de la dernière révision de la maquette.",
        (
            (CORRECTIVE, "Refaire la matrice compétences-modules", "head"),
            (PREVENTIVE, "Joindre la matrice à toute demande de révision de maquette", "R-02"),
        ),
        raiser="internal_auditor",
        department="*",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "R-08",
        "Convention de partenariat expirée avec un partenaire toujours actif",
        "La convention avec un partenaire industriel a expiré en juin ; des projets et des stages continuent.",
        "Les dates d'expiration des conventions de partenariat ne sont pas suivies.",
        (
            (CORRECTIVE, "Renouveler la convention", "R-08"),
            (PREVENTIVE, "Alerte trois mois avant l'expiration des conventions", "R-08"),
        ),
        raiser="internal_auditor",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "S-05",
        "Formulaires de la scolarité sans numéro de version",
        "Huit formulaires en usage à la scolarité n'ont ni numéro de version ni date.",
        "Les formulaires ont été créés avant la mise en place de la maîtrise documentaire.",
        ((CORRECTIVE, "Reprendre les formulaires dans la gestion documentaire", "S-05"),),
        raiser="internal_auditor",
        severity=MINOR,
    ),
    Scenario(
        NC,
        "S-03",
        "Accidents bénins de l'atelier {of_dept} non consignés au registre",
        "Trois coupures soignées à l'infirmerie ce semestre ne figurent pas au registre des accidents "
        "bénins de l'atelier {of_dept}.",
        "Le registre est rangé au secrétariat, loin de l'atelier, et les techniciens ignorent qu'il existe.",
        (
            (CORRECTIVE, "Reporter les trois accidents au registre", "head"),
            (PREVENTIVE, "Placer le registre à l'atelier et le présenter aux techniciens", "S-03"),
        ),
        raiser="teacher",
        department="*",
        severity=MINOR,
    ),
    # --- Complaints ------------------------------------------------------------------------
    Scenario(
        RE,
        "R-04",
        "Réclamation d'une entreprise : rapport de stage non reçu",
        "L'entreprise n'a pas reçu le rapport de son stagiaire, alors que la convention prévoit son envoi "
        "dans le mois qui suit la soutenance.",
        "L'envoi du rapport à l'entreprise est laissé à l'élève ; personne ne vérifie qu'il est fait.",
        (
            (CORRECTIVE, "Envoyer le rapport et présenter les excuses de l'école", "R-04"),
            (PREVENTIVE, "Déposer les rapports sur la plateforme avec envoi automatique au tuteur", "S-02"),
        ),
        raiser="R-04",
        complainant=ComplainantKind.COMPANY,
        contact="Mme Leclerc, responsable RH, Béton Rhône SAS",
    ),
    Scenario(
        RE,
        "S-07",
        "Réclamation d'un élève : bourse versée avec trois mois de retard",
        "Ma bourse du premier semestre a été versée en décembre ; j'ai dû emprunter pour payer mon loyer.",
        "L'attestation d'inscription est transmise au CROUS par lot mensuel, après validation du paiement des droits.",
        (
            (CORRECTIVE, "Transmettre les attestations au fil de l'eau", "S-07"),
            (IMPROVEMENT, "Informer les boursiers du calendrier de versement à la rentrée", "S-07"),
        ),
        raiser="student",
        complainant=ComplainantKind.STUDENT,
    ),
    Scenario(
        RE,
        "S-07",
        "Réclamation de parents : aucune réponse aux courriels de la scolarité",
        "Les parents d'un élève de 1re année disent avoir écrit quatre fois sans réponse au sujet d'un "
        "remboursement de frais.",
        "La boîte de la scolarité reçoit 300 courriels par semaine sans répartition ni délai de réponse.",
        (
            (CORRECTIVE, "Répondre aux parents et traiter le remboursement", "S-07"),
            (PREVENTIVE, "Mettre en place un formulaire de demande avec accusé de réception", "S-02"),
        ),
        raiser="S-07",
        complainant=ComplainantKind.PARENT,
        contact="M. et Mme Garnier",
    ),
    Scenario(
        RE,
        "R-03",
        "Réclamation d'élèves : cours {of_subject} annulés sans rattrapage",
        "Les délégués {of_dept} signalent quatre séances {of_subject} annulées ce semestre, sans rattrapage "
        "avant l'examen.",
        "Les annulations ne sont pas signalées au département, qui ne peut donc pas organiser de rattrapage.",
        (
            (CORRECTIVE, "Programmer deux séances de rattrapage avant l'examen", "head"),
            (PREVENTIVE, "Déclarer toute annulation au secrétariat du département", "R-03"),
        ),
        raiser="student",
        department="*",
        complainant=ComplainantKind.STUDENT,
        times=3,
    ),
    Scenario(
        RE,
        "R-04",
        "Réclamation d'une entreprise : stagiaire arrivé sans convention signée",
        "Le stagiaire s'est présenté le premier jour sans convention ; l'entreprise a dû le renvoyer chez lui.",
        "La date de début du stage n'est pas confrontée à l'état de la convention.",
        ((CORRECTIVE, "Appeler l'entreprise et finaliser la convention", "R-04"),),
        raiser="R-04",
        complainant=ComplainantKind.COMPANY,
        contact="M. Roche, directeur technique, Elec Alpes",
    ),
    Scenario(
        RE,
        "R-05",
        "Réclamation d'une entreprise d'accueil : calendrier d'alternance communiqué tardivement",
        "Le calendrier d'alternance de l'année a été envoyé le 25 août ; l'entreprise avait déjà planifié "
        "les congés de l'équipe.",
        "Le calendrier attend la validation des emplois du temps, qui intervient en juillet.",
        (
            (IMPROVEMENT, "Publier le calendrier d'alternance avant le 30 avril", "R-05"),
            (CORRECTIVE, "Adapter deux semaines de présence pour cette entreprise", "R-05"),
        ),
        raiser="R-05",
        complainant=ComplainantKind.COMPANY,
        contact="Mme Fabre, responsable formation, Agro Saveurs",
    ),
    Scenario(
        RE,
        "S-03",
        "Réclamation d'élèves : chauffage en panne dans l'amphithéâtre A",
        "Il fait 13 °C dans l'amphithéâtre A depuis lundi ; les élèves suivent les cours en manteau.",
        "La vanne de la sous-station est bloquée et l'alerte de la GTB n'est reçue par personne.",
        (
            (CORRECTIVE, "Remplacer la vanne de la sous-station", "S-03"),
            (PREVENTIVE, "Envoyer les alertes de la GTB à l'astreinte", "S-03"),
        ),
        raiser="student",
        complainant=ComplainantKind.STUDENT,
    ),
    Scenario(
        RE,
        "S-02",
        "Réclamation d'un élève : dépôt du rapport impossible sur Moodle la veille de l'échéance",
        "La plateforme refusait les fichiers de plus de 20 Mo ; le rapport a été envoyé par courriel et "
        "compté en retard.",
        "La limite de taille n'a pas été relevée quand les rapports ont commencé à inclure des plans.",
        (
            (CORRECTIVE, "Relever la limite de dépôt à 100 Mo", "S-02"),
            (CORRECTIVE, "Annuler la pénalité de retard", "R-03"),
        ),
        raiser="student",
        complainant=ComplainantKind.STUDENT,
    ),
    Scenario(
        RE,
        "R-01",
        "Réclamation d'un candidat : résultat d'admission envoyé à une mauvaise adresse",
        "Un candidat a appris son admission par un autre candidat ; le courrier était parti à une homonyme.",
        "Les courriers de résultat sont fusionnés sur le nom et non sur le numéro de dossier.",
        ((PREVENTIVE, "Fusionner les courriers sur le numéro de dossier", "R-01"),),
        raiser="R-01",
        complainant=ComplainantKind.OTHER,
        contact="Candidat, dossier 2024-1187",
    ),
    Scenario(
        RE,
        "R-06",
        "Réclamation d'un diplômé : diplôme reçu huit mois après le jury",
        "Un diplômé n'a pas pu justifier de son diplôme pour une embauche à l'étranger.",
        "Les diplômes sont édités par lots deux fois par an.",
        (
            (IMPROVEMENT, "Délivrer une attestation de réussite dès le jury", "R-06"),
            (IMPROVEMENT, "Éditer les diplômes chaque trimestre", "R-06"),
        ),
        raiser="S-07",
        complainant=ComplainantKind.OTHER,
        contact="Diplômé de la promotion 2024",
    ),
    Scenario(
        RE,
        "S-07",
        "Réclamation d'élèves : restauration fermée pendant la semaine des partiels",
        "Le restaurant du campus était fermé pour travaux pendant la semaine des partiels, sans solution de "
        "remplacement.",
        "Le calendrier des travaux n'a pas été confronté au calendrier des examens.",
        (
            (CORRECTIVE, "Mettre en place une vente de paniers-repas", "S-07"),
            (PREVENTIVE, "Faire valider les calendriers de travaux par la direction des études", "S-03"),
        ),
        raiser="student",
        complainant=ComplainantKind.STUDENT,
    ),
    Scenario(
        RE,
        "R-06",
        "Réclamation d'un élève : copie d'examen non consultable",
        "L'élève demande depuis un mois à consulter sa copie de rattrapage ; le département ne la retrouve pas.",
        "Les copies de rattrapage ne sont pas archivées avec celles de la session principale.",
        (
            (CORRECTIVE, "Retrouver la copie et organiser la consultation", "head"),
            (PREVENTIVE, "Archiver les copies par session dans une armoire fermée", "R-06"),
        ),
        raiser="student",
        department="*",
        complainant=ComplainantKind.STUDENT,
    ),
    Scenario(
        RE,
        "S-04",
        "Réclamation d'une entreprise partenaire : taxe d'apprentissage sans reçu",
        "L'entreprise a versé le solde de taxe d'apprentissage à l'école et attend son reçu depuis juin.",
        "Les reçus sont émis à réception de l'avis de l'organisme collecteur, parfois des mois plus tard.",
        ((CORRECTIVE, "Émettre le reçu à réception du versement", "S-04"),),
        raiser="R-08",
        complainant=ComplainantKind.COMPANY,
        contact="Mme Colin, service comptabilité, Ingé Conseil",
    ),
    Scenario(
        RE,
        "R-GC1",
        "Réclamation d'un partenaire : maquette de projet rendue incomplète",
        "Le maître d'ouvrage partenaire du projet de 4e année a reçu une maquette numérique sans les lots "
        "techniques annoncés.",
        "Le livrable attendu n'était pas décrit dans la convention de projet.",
        (
            (CORRECTIVE, "Compléter la maquette avec le groupe de projet", "teacher_demo"),
            (PREVENTIVE, "Annexer la liste des livrables aux conventions de projet", "R-GC1"),
        ),
        raiser="R-GC1",
        department="GC",
        complainant=ComplainantKind.COMPANY,
        contact="M. Bertrand, maître d'ouvrage, Ville de Vénissieux",
    ),
    Scenario(
        RE,
        "S-06",
        "Réclamation d'une entreprise : logo utilisé sans autorisation sur une plaquette",
        "Le logo de l'entreprise figure sur la plaquette des partenaires alors qu'elle ne l'a pas autorisé.",
        "La liste des logos reprend les entreprises de stage, pas les partenaires sous convention.",
        (
            (CORRECTIVE, "Retirer le logo de la plaquette en ligne", "S-06"),
            (PREVENTIVE, "Demander un accord écrit avant d'utiliser un logo", "S-06"),
        ),
        raiser="S-06",
        complainant=ComplainantKind.COMPANY,
        contact="Service communication, Optique Fine",
    ),
    Scenario(
        RE,
        "R-04",
        "Réclamation d'un élève : gratification de stage non versée",
        "L'entreprise n'a versé aucune gratification après deux mois de stage.",
        "L'école ne rappelle pas aux entreprises l'obligation de gratification au-delà de deux mois.",
        (
            (CORRECTIVE, "Relancer l'entreprise par courrier du bureau des stages", "R-04"),
            (PREVENTIVE, "Rappeler le montant de la gratification dans la convention", "R-04"),
        ),
        raiser="student",
        department="*",
        complainant=ComplainantKind.STUDENT,
    ),
    Scenario(
        RE,
        "S-01",
        "Réclamation d'un vacataire : heures payées avec cinq mois de retard",
        "Un intervenant n'a été payé de ses heures du premier semestre qu'en juin.",
        "Les états de service sont validés une fois par semestre par chaque département.",
        (
            (PREVENTIVE, "Valider les états de service chaque mois", "S-01"),
            (CORRECTIVE, "Payer le reliquat dû à l'intervenant", "S-04"),
        ),
        raiser="teacher",
        complainant=ComplainantKind.STAFF,
    ),
    Scenario(
        RE,
        "R-01",
        "Réclamation de parents : inscriptions à la journée portes ouvertes closes trop tôt",
        "Les inscriptions en ligne ont été closes dix jours avant la journée, faute de places annoncées.",
        "La jauge a été fixée sur la capacité d'un seul amphithéâtre.",
        ((IMPROVEMENT, "Ouvrir un second amphithéâtre avec retransmission", "R-01"),),
        raiser="R-01",
        complainant=ComplainantKind.PARENT,
        contact="Mme Perez",
    ),
    Scenario(
        RE,
        "R-07",
        "Réclamation d'un élève : aucune offre d'emploi relayée pour {dept}",
        "Un élève de dernière année {of_dept} n'a reçu aucune offre d'emploi par le service d'insertion "
        "depuis la rentrée.",
        "Les offres sont classées par secteur et non par département ; celles {of_dept} sont mal repérées.",
        ((IMPROVEMENT, "Classer les offres par département et les diffuser chaque semaine", "R-07"),),
        raiser="student",
        department="*",
        complainant=ComplainantKind.STUDENT,
    ),
    Scenario(
        RE,
        "S-07",
        "Réclamation d'un élève : carte d'étudiant non délivrée trois semaines après la rentrée",
        "Sans carte, l'élève ne peut ni entrer dans les bâtiments après 18 h ni emprunter à la bibliothèque.",
        "La commande des cartes attend la photo, que la moitié des élèves ne déposent pas.",
        ((CORRECTIVE, "Prendre les photos à l'accueil pendant la semaine de rentrée", "S-07"),),
        raiser="student",
        complainant=ComplainantKind.STUDENT,
    ),
    Scenario(
        RE,
        "R-04",
        "Réclamation d'une entreprise : tuteur académique injoignable pendant le stage",
        "Le tuteur en entreprise n'a obtenu aucune réponse du tuteur académique en trois semaines, alors "
        "que le stagiaire était en difficulté.",
        "Aucun suppléant n'est désigné quand un tuteur académique est absent.",
        (
            (CORRECTIVE, "Désigner un nouveau tuteur et appeler l'entreprise", "head"),
            (PREVENTIVE, "Désigner un suppléant pour chaque tuteur académique", "R-04"),
        ),
        raiser="R-04",
        department="*",
        complainant=ComplainantKind.COMPANY,
        contact="M. Blanc, chef de projet, Lumière Ingénierie",
    ),
    # --- Suggestions, mostly from students ----------------------------------------------------
    Scenario(
        SU,
        "R-03",
        "Proposition : tutorat entre élèves de 3e et 5e année",
        "Des élèves de 5e année se proposent pour aider les 3e année en mathématiques et en mécanique, une "
        "heure par semaine.",
        "Les élèves de 3e année en difficulté n'ont pas d'aide entre deux séances de TD.",
        (
            (IMPROVEMENT, "Organiser un créneau hebdomadaire de tutorat", "R-03"),
            (IMPROVEMENT, "Valoriser le tutorat dans le supplément au diplôme", "R-06"),
        ),
        raiser="student",
    ),
    Scenario(
        SU,
        "S-03",
        "Proposition : casiers près des salles de TP",
        "Les élèves transportent blouses et équipements toute la journée faute de casiers.",
        "Aucun rangement n'est prévu pour les affaires de TP.",
        ((IMPROVEMENT, "Installer 120 casiers au rez-de-chaussée du bâtiment B", "S-03"),),
        raiser="student",
    ),
    Scenario(
        SU,
        "S-07",
        "Proposition : salle de travail ouverte le samedi pendant les révisions",
        "Ouvrir une salle de travail le samedi pendant les trois semaines qui précèdent les examens.",
        "La bibliothèque est fermée le samedi et les élèves manquent de lieux de travail en groupe.",
        ((IMPROVEMENT, "Ouvrir la salle C010 le samedi pendant les révisions", "S-03"),),
        raiser="student_demo",
    ),
    Scenario(
        SU,
        "R-03",
        "Proposition : mettre en ligne les annales corrigées",
        "Mettre à disposition les sujets des trois dernières années avec leurs corrigés.",
        "Les annales circulent entre élèves sans corrigés fiables.",
        ((IMPROVEMENT, "Publier les annales corrigées sur l'espace pédagogique", "R-03"),),
        raiser="student",
    ),
    Scenario(
        SU,
        "S-02",
        "Proposition : emploi du temps consultable sur téléphone",
        "Un flux d'agenda personnel pour chaque élève, qui suive les changements de salle.",
        "L'emploi du temps n'est consultable que sur l'ENT, mal adapté aux téléphones.",
        ((IMPROVEMENT, "Publier un flux iCal par élève", "S-02"),),
        raiser="student",
    ),
    Scenario(
        SU,
        "R-07",
        "Proposition : rencontres avec les anciens élèves {of_dept}",
        "Une soirée par semestre où les anciens {of_dept} présentent leur métier aux élèves.",
        "Les élèves connaissent mal les débouchés de leur spécialité.",
        ((IMPROVEMENT, "Organiser une rencontre par semestre avec l'association des anciens", "R-07"),),
        raiser="student",
        department="*",
        times=2,
    ),
    Scenario(
        SU,
        "R-04",
        "Proposition : base partagée des offres de stage déjà pourvues",
        "Garder les offres des années passées, avec le retour des élèves sur le stage.",
        "Chaque promotion recommence sa recherche de stage sans l'expérience des précédentes.",
        ((IMPROVEMENT, "Ouvrir une base des stages passés avec les avis des élèves", "R-04"),),
        raiser="student",
    ),
    Scenario(
        SU,
        "S-03",
        "Proposition : bornes de recharge pour vélos électriques",
        "Installer des prises sécurisées dans le local à vélos.",
        "De plus en plus de personnels viennent en vélo électrique et rechargent dans les bureaux.",
        ((IMPROVEMENT, "Équiper le local à vélos de dix prises sécurisées", "S-03"),),
        raiser="staff",
    ),
    Scenario(
        SU,
        "R-02",
        "Proposition : module d'éco-conception commun aux six départements",
        "Un module de tronc commun en 3e année sur l'analyse de cycle de vie et l'éco-conception.",
        "La transition écologique est traitée différemment, ou pas du tout, selon les départements.",
        (
            (IMPROVEMENT, "Constituer un groupe de travail inter-départements", "R-02"),
            (IMPROVEMENT, "Présenter la fiche du module au conseil des études", "R-02"),
        ),
        raiser="teacher",
    ),
    Scenario(
        SU,
        "R-GE1",
        "Proposition : ouvrir la plateforme énergie aux projets de 3e année",
        "Les projets de 3e année pourraient utiliser les bancs le vendredi après-midi.",
        "La plateforme est réservée aux 5e année alors qu'elle est libre un tiers du temps.",
        ((IMPROVEMENT, "Ouvrir un créneau encadré le vendredi après-midi", "R-GE1"),),
        raiser="student",
        department="GE",
    ),
    Scenario(
        SU,
        "R-IMDS1",
        "Proposition : serveur GPU partagé pour les projets de data science",
        "Un serveur de calcul avec GPU réservable par les groupes de projet.",
        "Les élèves entraînent leurs modèles sur leurs ordinateurs portables, faute de moyens de calcul.",
        (
            (IMPROVEMENT, "Chiffrer l'achat d'un serveur GPU", "S-04"),
            (IMPROVEMENT, "Mettre en place un système de réservation", "S-02"),
        ),
        raiser="student",
        department="IMDS",
    ),
    Scenario(
        SU,
        "S-06",
        "Proposition : lettre d'information mensuelle des départements",
        "Une lettre mensuelle qui raconte les projets, les soutenances et les visites des départements.",
        "Les réussites des départements ne sont pas connues du reste de l'école.",
        ((IMPROVEMENT, "Lancer une lettre d'information mensuelle", "S-06"),),
        raiser="staff",
    ),
    Scenario(
        SU,
        "R-05",
        "Proposition : livret d'accueil pour les maîtres d'apprentissage",
        "Un livret qui présente l'école, le calendrier, les attendus et les contacts.",
        "Les nouveaux maîtres d'apprentissage posent toujours les mêmes questions.",
        ((IMPROVEMENT, "Rédiger le livret d'accueil des maîtres d'apprentissage", "R-05"),),
        raiser="teacher",
    ),
    Scenario(
        SU,
        "S-07",
        "Proposition : permanences de la scolarité en soirée pour les alternants",
        "Une permanence jusqu'à 19 h le jeudi pendant les périodes en entreprise.",
        "Les alternants ne peuvent pas venir aux horaires d'ouverture.",
        ((IMPROVEMENT, "Tester une permanence le jeudi soir pendant un semestre", "S-07"),),
        raiser="student",
    ),
    Scenario(
        SU,
        "R-01",
        "Proposition : journée d'immersion pour les lycéennes en génie électrique",
        "Accueillir des lycéennes une journée en TP et en projet avec des élèves ingénieures.",
        "Moins de 15 % des admis en génie électrique sont des femmes.",
        ((IMPROVEMENT, "Organiser une journée d'immersion au printemps", "R-01"),),
        raiser="teacher",
        department="GE",
    ),
    Scenario(
        SU,
        "R-GB1",
        "Proposition : réservation en ligne des postes de culture cellulaire",
        "Un planning en ligne pour les postes de sécurité microbiologique.",
        "Les réservations se font sur une feuille affichée, souvent perdue.",
        ((IMPROVEMENT, "Mettre en place le planning en ligne des postes", "R-GB1"),),
        raiser="teacher",
        department="GB",
    ),
    Scenario(
        SU,
        "S-01",
        "Proposition : parrainage des nouveaux enseignants-chercheurs",
        "Un collègue expérimenté accompagne chaque nouvel arrivant pendant sa première année.",
        "Les nouveaux arrivants découvrent seuls l'organisation des études et de la recherche.",
        ((IMPROVEMENT, "Lancer le parrainage à la rentrée", "S-01"),),
        raiser="teacher",
    ),
    Scenario(
        SU,
        "R-03",
        "Proposition : commenter systématiquement les copies rendues",
        "Chaque copie rendue porterait au moins un commentaire sur les points à retravailler.",
        "Les élèves reçoivent une note sans savoir ce qui a manqué.",
        ((IMPROVEMENT, "Proposer une grille de commentaires aux enseignants", "teacher_demo"),),
        raiser="student_demo",
        department="GC",
    ),
    Scenario(
        SU,
        "R-04",
        "Proposition : forum des stages propre à {dept}",
        "Un forum d'une demi-journée où les entreprises du secteur {of_dept} présentent leurs offres.",
        "Le forum général de l'école attire peu d'entreprises du secteur {of_dept}.",
        ((IMPROVEMENT, "Organiser un forum des stages de département", "head"),),
        raiser="student",
        department="*",
        times=2,
    ),
    Scenario(
        SU,
        "S-03",
        "Proposition : salle de projet en libre accès pour {dept}",
        "Une salle équipée d'écrans et de tableaux, accessible par badge en dehors des cours.",
        "Les groupes de projet {of_dept} n'ont pas de lieu pour travailler ensemble.",
        ((IMPROVEMENT, "Aménager une salle de projet en libre accès", "S-03"),),
        raiser="student",
        department="*",
        times=2,
    ),
    Scenario(
        SU,
        "S-02",
        "Proposition : augmenter la taille maximale des courriels",
        "Les plans et maquettes dépassent souvent la limite de 10 Mo de la messagerie.",
        "La limite n'a pas changé depuis la mise en service de la messagerie.",
        ((IMPROVEMENT, "Mettre en place un service de dépôt de gros fichiers", "S-02"),),
        raiser="teacher",
    ),
    Scenario(
        SU,
        "R-09",
        "Proposition : séminaire mensuel des doctorants ouvert aux élèves",
        "Les doctorants présenteraient leurs travaux aux élèves intéressés par la recherche.",
        "Les élèves connaissent mal la recherche menée à l'école.",
        ((IMPROVEMENT, "Lancer un séminaire mensuel ouvert aux élèves", "R-09"),),
        raiser="teacher",
    ),
    Scenario(
        SU,
        "R-06",
        "Proposition : publier le calendrier des jurys dès la rentrée",
        "Les élèves veulent connaître les dates des jurys pour organiser stages et mobilités.",
        "Le calendrier des jurys est diffusé au fil de l'année.",
        ((IMPROVEMENT, "Publier le calendrier des jurys en septembre", "R-06"),),
        raiser="student",
    ),
    Scenario(
        SU,
        "R-08",
        "Proposition : banque de sujets de projet proposés par les entreprises",
        "Un formulaire où les entreprises déposent des sujets de projet pour l'année suivante.",
        "Les sujets sont recherchés par chaque enseignant au dernier moment.",
        ((IMPROVEMENT, "Ouvrir un formulaire de dépôt de sujets aux entreprises partenaires", "R-08"),),
        raiser="teacher",
    ),
    # --- Opportunities for improvement, raised by the quality manager ------------------------
    Scenario(
        OA,
        "M-05",
        "Opportunité : regrouper les plans d'action des départements dans Amelio",
        "Chaque département tient son plan d'action dans son propre tableur.",
        "Sans vue d'ensemble, les actions communes sont menées plusieurs fois.",
        (
            (IMPROVEMENT, "Reprendre les plans d'action des départements dans Amelio", "M-05"),
            (IMPROVEMENT, "Former les responsables de département au suivi des actions", "M-05"),
        ),
        raiser="quality",
    ),
    Scenario(
        OA,
        "M-04",
        "Opportunité : enquête annuelle de satisfaction des entreprises partenaires",
        "Mesurer chaque année la satisfaction des entreprises qui accueillent stagiaires et apprentis.",
        "La satisfaction des entreprises n'est connue que par les réclamations.",
        ((IMPROVEMENT, "Construire et lancer le questionnaire aux entreprises", "M-04"),),
        raiser="quality",
    ),
    Scenario(
        OA,
        "R-04",
        "Opportunité : signature électronique des conventions de stage",
        "Faire signer les conventions électroniquement par les trois parties.",
        "Le circuit papier prend en moyenne 19 jours.",
        (
            (IMPROVEMENT, "Choisir un service de signature électronique", "S-02"),
            (IMPROVEMENT, "Tester la signature électronique sur un département", "R-04"),
        ),
        raiser="quality",
    ),
    Scenario(
        OA,
        "M-02",
        "Opportunité : préparer la revue de direction à partir des indicateurs tenus à jour",
        "Les éléments d'entrée de la revue de direction sont compilés à la main en deux semaines.",
        "Les indicateurs ne sont mis à jour qu'une fois par an, pour la revue.",
        ((IMPROVEMENT, "Mettre à jour les indicateurs chaque trimestre", "M-02"),),
        raiser="quality",
    ),
    Scenario(
        OA,
        "S-05",
        "Opportunité : un seul espace documentaire par processus",
        "Les documents d'un même processus sont répartis dans quatre espaces différents.",
        "Les espaces documentaires ont été créés par service, avant la cartographie des processus.",
        ((IMPROVEMENT, "Réorganiser la gestion documentaire par processus", "S-05"),),
        raiser="quality",
    ),
    Scenario(
        OA,
        "R-06",
        "Opportunité : suivre le taux de réussite par module à chaque semestre",
        "Repérer tôt les modules où le taux d'échec augmente.",
        "Les taux de réussite ne sont étudiés qu'au niveau du semestre.",
        ((IMPROVEMENT, "Ajouter le taux de réussite par module au tableau de bord", "R-06"),),
        raiser="quality",
    ),
    Scenario(
        OA,
        "M-03",
        "Opportunité : former cinq enseignants à l'audit interne ISO 9001",
        "Élargir l'équipe d'auditeurs internes pour couvrir tous les processus chaque année.",
        "Trois auditeurs ne suffisent pas à auditer les 25 processus en un cycle.",
        ((IMPROVEMENT, "Organiser une formation d'auditeurs internes", "M-03"),),
        raiser="quality",
    ),
    Scenario(
        OA,
        "R-07",
        "Opportunité : mesurer l'insertion à 18 mois en plus de 6 mois",
        "Compléter l'enquête d'insertion à 6 mois par une enquête à 18 mois.",
        "L'insertion à 6 mois ne dit rien de la stabilité des emplois.",
        ((IMPROVEMENT, "Lancer l'enquête à 18 mois", "R-07"),),
        raiser="quality",
    ),
    Scenario(
        OA,
        "S-03",
        "Opportunité : réduire de 10 % la consommation énergétique des bâtiments",
        "Le décret tertiaire impose une baisse de 40 % d'ici 2030 ; un premier palier de 10 % est possible.",
        "Le chauffage fonctionne aux mêmes horaires pendant les vacances scolaires.",
        (
            (IMPROVEMENT, "Programmer le réduit de chauffage pendant les vacances", "S-03"),
            (IMPROVEMENT, "Passer l'éclairage des couloirs en détection de présence", "S-03"),
        ),
        raiser="quality",
    ),
    Scenario(
        OA,
        "R-02",
        "Opportunité : intégrer les retours des employeurs à la révision des formations",
        "Les employeurs de diplômés pourraient être interrogés sur les compétences attendues.",
        "Les révisions de maquettes ne s'appuient que sur l'avis des enseignants.",
        ((IMPROVEMENT, "Inviter deux employeurs à chaque conseil de perfectionnement", "R-02"),),
        raiser="quality",
    ),
    Scenario(
        OA,
        "R-08",
        "Opportunité : une charte de partenariat unique pour les entreprises",
        "Chaque département a sa propre convention de partenariat.",
        "Les entreprises partenaires de plusieurs départements signent plusieurs conventions.",
        ((IMPROVEMENT, "Rédiger une charte de partenariat commune", "R-08"),),
        raiser="quality",
    ),
    Scenario(
        OA,
        "M-01",
        "Opportunité : décliner la politique qualité en objectifs par département",
        "Les objectifs qualité sont fixés pour l'école entière.",
        "Les départements ne voient pas leur contribution aux objectifs de l'école.",
        ((IMPROVEMENT, "Fixer deux objectifs qualité par département", "M-01"),),
        raiser="quality",
    ),
    Scenario(
        OA,
        "R-05",
        "Opportunité : regrouper les visites d'apprentis d'une même entreprise",
        "Une même entreprise reçoit parfois trois tuteurs la même semaine.",
        "Les visites sont planifiées par chaque tuteur sans coordination.",
        ((IMPROVEMENT, "Coordonner les visites par entreprise", "R-05"),),
        raiser="quality",
    ),
    Scenario(
        OA,
        "S-01",
        "Opportunité : un plan de formation des personnels aligné sur les objectifs qualité",
        "Le plan de formation est construit sur les demandes individuelles.",
        "Les compétences nécessaires aux processus ne sont pas recensées.",
        ((IMPROVEMENT, "Recenser les compétences nécessaires par processus", "S-01"),),
        raiser="quality",
    ),
]

# Actions of no item (later they come from audits and management reviews): process,
# kind, title, owner.
STANDALONE_ACTIONS = [
    ("M-02", IMPROVEMENT, "Mettre à jour la cartographie des processus après la revue de direction", "M-02"),
    ("S-01", PREVENTIVE, "Former les nouveaux vacataires aux outils numériques de l'école", "S-01"),
    ("R-01", IMPROVEMENT, "Réviser la procédure d'accueil des élèves internationaux", "R-01"),
    ("S-05", PREVENTIVE, "Revoir la liste des documents à conserver et leurs durées", "S-05"),
    ("M-03", IMPROVEMENT, "Établir le programme d'audits internes de l'année", "M-03"),
    ("S-03", PREVENTIVE, "Faire l'exercice d'évacuation annuel de tous les bâtiments", "S-03"),
    ("R-07", IMPROVEMENT, "Publier les chiffres d'insertion de la dernière promotion", "R-07"),
    ("S-02", PREVENTIVE, "Tester la restauration des sauvegardes de l'outil de scolarité", "S-02"),
    ("R-03", IMPROVEMENT, "Harmoniser les modalités de contrôle des connaissances entre départements", "teacher_demo"),
    ("M-04", IMPROVEMENT, "Mettre à jour la liste des parties intéressées et leurs attentes", "M-04"),
    ("S-04", PREVENTIVE, "Contrôler les seuils d'achat dans l'outil de commande", "S-04"),
]

SUBJECTS = {
    "GB": ["biochimie", "microbiologie"],
    "GC": ["résistance des matériaux", "mécanique des sols"],
    "GE": ["électronique de puissance", "automatique"],
    "IMDS": ["statistique inférentielle", "optimisation"],
    "GP": ["optique", "physique des matériaux"],
    "GSP": ["recherche opérationnelle", "gestion de production"],
}

REJECTION_REASONS: dict[str, list[str]] = {
    NC: [
        "Doublon d'une fiche déjà ouverte sur le même constat.",
        "Le constat ne se confirme pas après vérification des enregistrements.",
        "Écart ponctuel déjà corrigé, sans risque de récidive : traité comme une simple correction.",
    ],
    RE: [
        "Hors du périmètre de l'école : relève de l'entreprise d'accueil, que nous avons mise en relation.",
        "Réponse déjà apportée au réclamant par la scolarité ; pas de dysfonctionnement constaté.",
        "Doublon d'une réclamation déjà enregistrée.",
    ],
    SU: [
        "Étudiée en conseil de département : coût disproportionné par rapport au bénéfice attendu.",
        "Déjà en place depuis la rentrée : l'information a été rappelée à la promotion.",
        "Relève du règlement intérieur, hors du système qualité ; transmise au bureau des élèves.",
    ],
    OA: [
        "Reportée au plan d'amélioration de l'année prochaine, faute de moyens cette année.",
        "Couverte par un projet déjà engagé par la direction.",
    ],
}
ACCEPT_REASONS = [
    "",
    "",
    "Constat confirmé avec le service concerné.",
    "Recevable ; à traiter avant la fin du semestre.",
    "Sujet déjà évoqué en conseil de département : à traiter.",
]
EXTENTS = [
    "Vérifié dans les autres départements : aucun cas similaire.",
    "Deux situations comparables trouvées dans d'autres départements, couvertes par les mêmes actions.",
    "Le même circuit existe pour l'alternance : à surveiller.",
    "Limité à ce processus.",
    "Risque de récidive à chaque rentrée si rien ne change.",
]
ISHIKAWA_BRANCHES = {
    "Méthode": ["Aucune procédure écrite.", "Procédure existante mais pas appliquée.", "Étape sans responsable."],
    "Main-d'œuvre": ["Personne nouvelle sur le poste.", "Charge de travail en période de pointe."],
    "Matériel": ["Outil non paramétré pour ce cas.", "Pas d'alerte automatique."],
    "Milieu": ["Période de congés.", "Plusieurs services concernés sans coordination."],
    "Mesure": ["Aucun indicateur ne signalait l'écart.", "Contrôle fait trop tard."],
}
PROGRESS_NOTES = [
    "Premier échange avec le service concerné ; calendrier validé.",
    "Devis reçu, en attente de validation budgétaire.",
    "Point d'avancement fait en réunion de département.",
    "Version de travail diffusée pour relecture.",
    "Retard dû à la période d'examens ; reprise la semaine prochaine.",
    "Rencontre avec les délégués des élèves pour recueillir leur avis.",
    "Commande passée, livraison annoncée sous trois semaines.",
    "Moitié du travail faite ; le reste dépend de la réponse du prestataire.",
]
COMPLETION_NOTES_ON_TIME = [
    "Fait ; preuve déposée dans l'espace documentaire du processus.",
    "Terminé et diffusé aux équipes concernées.",
    "Réalisé et présenté en conseil de département.",
    "Fait dans les délais ; premier retour positif des élèves.",
]
COMPLETION_NOTES_LATE = [
    "Fait avec retard à cause de la période d'examens.",
    "Terminé après une relance du prestataire.",
    "Réalisé ; le retard vient de la validation budgétaire.",
]
CANCELLATION_REASONS = [
    "Remplacée par une action plus large décidée en revue de direction.",
    "Sans objet après le changement de prestataire.",
    "Doublon d'une action du plan d'action du département.",
]
EFFECTIVENESS_NOTES = [
    "Aucune récidive sur le semestre suivant ; l'indicateur est revenu dans la cible.",
    "Vérifié à la rentrée suivante : le nouveau circuit est appliqué par tous.",
    "Contrôle sur échantillon de 20 dossiers : aucun écart.",
    "Retour des élèves et des entreprises positif ; pas de nouvelle réclamation.",
]
REOPEN_REASONS = [
    "Le problème s'est reproduit à la session suivante : les actions n'ont pas traité la cause.",
    "Contrôle sur échantillon : 4 dossiers sur 20 toujours en écart.",
    "Nouvelle réclamation sur le même sujet deux mois après la clôture.",
]
SECOND_ACTIONS = [
    (CORRECTIVE, "Reprendre l'analyse avec les personnes qui appliquent le circuit"),
    (PREVENTIVE, "Ajouter un contrôle mensuel jusqu'à la prochaine vérification"),
]

# How long ago (days) an item in each final state was raised, and how many of the demo's
# items end in that state (shares of the whole; "closed after reopening" is a closed item
# that failed its first check).
CLOSED_AFTER_REOPENING = "closed_after_reopening"
STATE_PLAN: list[tuple[str, int, tuple[int, int]]] = [
    (ItemStatus.NEW, 10, (1, 25)),
    (ItemStatus.ACCEPTED, 8, (10, 60)),
    (ItemStatus.REJECTED, 10, (5, 720)),
    (ItemStatus.ANALYSED, 8, (25, 100)),
    (ItemStatus.ACTIONS_UNDER_WAY, 28, (45, 330)),
    (ItemStatus.AWAITING_CHECK, 12, (90, 420)),
    (ItemStatus.CLOSED_EFFECTIVE, 32, (150, 730)),
    (CLOSED_AFTER_REOPENING, 4, (300, 730)),
    (ItemStatus.REOPENED, 8, (150, 600)),
]
FINISHED_STATES = {
    ItemStatus.AWAITING_CHECK,
    ItemStatus.CLOSED_EFFECTIVE,
    CLOSED_AFTER_REOPENING,
    ItemStatus.REOPENED,
}
NOTIFICATIONS_KEPT_UNREAD_DAYS = 14
RAISERS_OF_A_DEPARTMENT = {"student", "teacher", "student_demo", "teacher_demo"}


def _of(name: str) -> str:
    """ "de Génie Civil", "d'optique": French elides "de" before a vowel."""
    return f"d'{name}" if name[:1].lower() in "aeiouyéèêàâîôû" else f"de {name}"


def scenario_texts(*, department: str, semester: str, subject: str) -> dict[str, str]:
    """What fills the placeholders of a scenario's texts."""
    return {
        "dept": department,
        "of_dept": _of(department),
        "semester": semester,
        "subject": subject,
        "of_subject": _of(subject),
    }


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class _Cast:
    """The people of the demo school, found by the part they play."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.processes = {process.code: process for process in Process.objects.select_related("owner", "department")}
        self.departments = {department.code: department for department in Department.objects.order_by("code")}
        self.quality = Person.objects.get(email=QUALITY_MANAGER_EMAIL)
        self.teacher_demo = Person.objects.get(email=DEMO_TEACHER_EMAIL)
        self.student_demo = Person.objects.get(email=DEMO_STUDENT_EMAIL)
        assignments = RoleAssignment.objects.select_related("person", "department")
        self.heads = {
            assignment.department.code: assignment.person
            for assignment in assignments.filter(role=Role.DEPARTMENT_HEAD, scope_kind=ScopeKind.DEPARTMENT)
            if assignment.department is not None
        }
        self.internal_auditor = next(
            assignment.person for assignment in assignments.filter(role=Role.INTERNAL_AUDITOR).order_by("pk")
        )
        head_ids = {head.pk for head in self.heads.values()}
        self.teachers: dict[str | None, list[Person]] = {None: []}
        self.students: dict[str | None, list[Person]] = {None: []}
        people = Person.objects.filter(kind__in=[PersonKind.TEACHER, PersonKind.STUDENT]).select_related("department")
        for person in people.order_by("pk"):
            if person.pk in head_ids or person.department is None:
                continue
            group = self.teachers if person.kind == PersonKind.TEACHER else self.students
            group.setdefault(person.department.code, []).append(person)
            group[None].append(person)
        # Staff other than the quality manager and the director (who owns M-01).
        director = self.processes["M-01"].owner_id
        self.staff = list(
            Person.objects.filter(kind=PersonKind.STAFF).exclude(pk__in=[self.quality.pk, director]).order_by("pk")
        )

    def find(self, reference: str, department: Department | None) -> Person:
        code = department.code if department is not None else None
        if reference in self.processes:
            return self.processes[reference].owner
        if reference == "quality":
            return self.quality
        if reference == "internal_auditor":
            return self.internal_auditor
        if reference == "teacher_demo":
            return self.teacher_demo
        if reference == "student_demo":
            return self.student_demo
        if reference == "head":
            return self.heads[code] if code else self.rng.choice(list(self.heads.values()))
        if reference == "staff":
            return self.rng.choice(self.staff)
        if reference == "teacher":
            if code == "GC" and self.rng.random() < 0.4:
                return self.teacher_demo
            return self.rng.choice(self.teachers.get(code) or self.teachers[None])
        if reference == "student":
            # The demo student (Génie Civil) has a few items of their own in "My work".
            if code in ("GC", None) and self.rng.random() < 0.25:
                return self.student_demo
            return self.rng.choice(self.students.get(code) or self.students[None])
        raise LookupError(f"No demo person plays {reference!r}.")


@dataclass
class _Instance:
    """A scenario placed in a department, with its texts filled in."""

    scenario: Scenario
    department: Department | None
    texts: dict[str, str]

    def fill(self, text: str) -> str:
        return text.format(**self.texts)


@dataclass
class _PlannedAction:
    kind: str
    title: str
    owner: Person
    due: int  # days after the item was raised, as all the offsets below
    fate: str = "planned"  # planned, in_progress, on_time, late, cancelled
    created: int = 0
    started: int | None = None
    finished: int | None = None  # completed or cancelled
    notes: list[int] = field(default_factory=list)
    record: Action | None = None


class _Stamps:
    """The services date what they write with today; the demo's records tell two years of
    work, so after each step the notifications and progress notes it wrote are given the
    day it happened.

    Demo data only: dates are rewritten with queryset.update(), outside the services. The
    audit trail is left as it is (append-only, its entries say when the demo was built)."""

    def __init__(self, today: datetime.date, rng: random.Random) -> None:
        self.today = today
        self.rng = rng
        self.notification_mark = self._last(Notification)
        self.note_mark = self._last(ProgressNote)

    @staticmethod
    def _last(model: Any) -> int:
        return int(model.objects.aggregate(last=Max("pk"))["last"] or 0)

    def stamp(self, day: datetime.date) -> None:
        moment = _moment(day, self.rng.randint(8, 18)) + datetime.timedelta(minutes=self.rng.randint(0, 59))
        notifications = Notification.objects.filter(pk__gt=self.notification_mark)
        if day < self.today - datetime.timedelta(days=NOTIFICATIONS_KEPT_UNREAD_DAYS):
            # Old news: read long ago, and never to be listed in a digest.
            later = moment + datetime.timedelta(hours=self.rng.randint(1, 30))
            notifications.update(created_at=moment, read_at=later, emailed_at=later)
        else:
            notifications.update(created_at=moment)
        ProgressNote.objects.filter(pk__gt=self.note_mark).update(created_at=moment)
        self.notification_mark = self._last(Notification)
        self.note_mark = self._last(ProgressNote)


@contextmanager
def _emails_held_back(people: Iterable[Person]) -> Iterator[None]:
    """Each service notifies after commit, by email for people in "immediate" mode: the
    demo's 1,000-odd notifications would queue as many emails for the worker that
    `make run` starts, and bury its console. While the demo is built everyone is in
    "digest" mode, so nothing is queued; then each person's mode is set back. (The
    notifications stay in the application; `_Stamps` marks the old ones read and emailed
    so that no digest lists them.)"""
    people = list(people)
    previous = {person.pk: email_mode_of(person) for person in people}
    for person in people:
        preference_set(actor=person, email_mode=EmailMode.DIGEST)
    yield
    for person in people:
        preference_set(actor=person, email_mode=previous[person.pk])


class _ImprovementBuilder:
    def __init__(self, *, rng: random.Random, stdout: Any) -> None:
        self.rng = rng
        self.stdout = stdout
        self.today = timezone.localdate()
        self.cast = _Cast(rng)
        self.stamps = _Stamps(self.today, rng)
        self.final_states: Counter[str] = Counter()

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    # The stories -------------------------------------------------------------------------

    def instances(self) -> list[_Instance]:
        found = []
        codes = list(self.cast.departments)
        for scenario in SCENARIOS:
            process = self.cast.processes[scenario.process]
            if process.department is not None:
                choices: list[Department | None] = [process.department] * scenario.times
            elif scenario.department == "*":
                drawn = self.rng.sample(codes, scenario.times)
                choices = [self.cast.departments[code] for code in drawn]
            elif scenario.department is not None:
                choices = [self.cast.departments[scenario.department]] * scenario.times
            else:
                choices = [None] * scenario.times
            semesters = self.rng.sample(["5", "6", "7", "8", "9"], scenario.times)
            for department, semester in zip(choices, semesters, strict=True):
                code = department.code if department is not None else self.rng.choice(codes)
                name = department.name if department is not None else ""
                texts = scenario_texts(department=name, semester=semester, subject=self.rng.choice(SUBJECTS[code]))
                found.append(_Instance(scenario, department, texts))
        return found

    def states(self, number: int) -> list[tuple[str, tuple[int, int]]]:
        """`number` final states in the shares of STATE_PLAN (largest remainders), shuffled."""
        total = sum(share for _state, share, _ages in STATE_PLAN)
        exact = [number * share / total for _state, share, _ages in STATE_PLAN]
        counts = [int(value) for value in exact]
        by_remainder = sorted(range(len(exact)), key=lambda index: counts[index] - exact[index])
        for index in by_remainder[: number - sum(counts)]:
            counts[index] += 1
        drawn: list[tuple[str, tuple[int, int]]] = []
        for (state, _share, ages), count in zip(STATE_PLAN, counts, strict=True):
            drawn += [(state, ages)] * count
        self.rng.shuffle(drawn)
        return drawn

    def build(self) -> dict[str, int]:
        instances = self.instances()
        for instance, (state, ages) in zip(instances, self.states(len(instances)), strict=True):
            self.walk(instance, state, ages)
        self.standalone_actions()
        return {
            "improvement_items": len(instances),
            "improvement_actions": Action.objects.count(),
            "progress_notes": ProgressNote.objects.count(),
        }

    # One item, from raising to its final state --------------------------------------------

    def walk(self, instance: _Instance, state: str, ages: tuple[int, int]) -> None:
        rng, scenario = self.rng, instance.scenario
        process = self.cast.processes[scenario.process]
        manager = process.owner
        raised_on = self.today - datetime.timedelta(days=rng.randint(*ages))
        available = (self.today - raised_on).days  # the last step happens today at the latest
        offsets = {"decide": rng.randint(2, 12)}
        offsets["analyse"] = offsets["decide"] + rng.randint(5, 25)
        offsets["plan"] = offsets["analyse"] + rng.randint(0, 3)
        offsets["start"] = offsets["plan"] + rng.randint(1, 7)
        planned = [
            _PlannedAction(
                kind=kind,
                title=instance.fill(title),
                owner=self.cast.find(owner, instance.department),
                due=offsets["plan"] + rng.randint(20, 120),
            )
            for kind, title, owner in scenario.actions
        ]
        if state in FINISHED_STATES:
            self.finish_all(planned, offsets, state)
        last_step: dict[str, int] = {
            ItemStatus.NEW: 0,
            ItemStatus.ACCEPTED: offsets["decide"],
            ItemStatus.REJECTED: offsets["decide"],
            ItemStatus.ANALYSED: offsets["plan"],
            ItemStatus.ACTIONS_UNDER_WAY: offsets["start"] + 2,
        }
        last_needed = last_step.get(state, max(offsets.values()))
        if last_needed > available:
            # Too recent for all its steps: squeeze them into the days there were.
            ratio = available / last_needed
            offsets = {name: int(value * ratio) for name, value in offsets.items()}
            for action in planned:
                action.due = max(1, int(action.due * ratio))
                action.started = None if action.started is None else int(action.started * ratio)
                action.finished = None if action.finished is None else int(action.finished * ratio)
                action.notes = [int(note * ratio) for note in action.notes]
        if state == ItemStatus.ACTIONS_UNDER_WAY:
            self.progress_some(planned, offsets, available)

        steps: list[tuple[int, int, Callable[[], Any]]] = []

        def step(offset: int, order: int, perform: Callable[[], Any]) -> None:
            steps.append((offset, order, perform))

        raiser = self.cast.find(scenario.raiser, instance.department)
        department = instance.department
        if department is None and scenario.department is None and scenario.raiser in RAISERS_OF_A_DEPARTMENT:
            # A school-wide matter raised by a teacher or a student is filed under their department.
            department = raiser.department
        data: dict[str, Any] = {
            "origin": scenario.origin,
            "title": instance.fill(scenario.title)[:200],
            "description": instance.fill(scenario.description),
            "process": process,
            "department": department,
            "raised_on": raised_on,
        }
        if scenario.severity:
            data["severity"] = scenario.severity
        if scenario.complainant:
            data["complainant_kind"] = scenario.complainant
        if scenario.contact:
            data["contact_name"] = scenario.contact
        clauses = list(process.clauses.all())
        if clauses:
            data["clauses"] = [rng.choice(clauses)]
        holder: dict[str, ImprovementItem] = {}

        def raise_item() -> None:
            holder["item"] = services.item_raise(actor=raiser, data=data)

        step(0, 0, raise_item)
        if state == ItemStatus.REJECTED:
            reason = rng.choice(REJECTION_REASONS[scenario.origin])
            step(
                offsets["decide"],
                1,
                lambda: services.item_reject(actor=manager, item=holder["item"], reason=reason),
            )
        elif state != ItemStatus.NEW:
            target = raised_on + datetime.timedelta(days=offsets["decide"] + rng.randint(60, 150))
            accept_reason = rng.choice(ACCEPT_REASONS)
            step(
                offsets["decide"],
                1,
                lambda: services.item_accept(actor=manager, item=holder["item"], reason=accept_reason, due_on=target),
            )
        if state not in (ItemStatus.NEW, ItemStatus.ACCEPTED, ItemStatus.REJECTED):
            analysis = self.analysis(instance)
            step(
                offsets["analyse"],
                2,
                lambda: services.item_analyse(actor=manager, item=holder["item"], analysis=analysis),
            )
            for action in planned:
                action.created = offsets["plan"]
                step(action.created, 3, self.creating(action, holder, manager, raised_on))
        if state not in (ItemStatus.NEW, ItemStatus.ACCEPTED, ItemStatus.REJECTED, ItemStatus.ANALYSED):
            step(offsets["start"], 4, lambda: services.item_start_actions(actor=manager, item=holder["item"]))
            for action in planned:
                self.action_steps(action, step, manager)
        if state in FINISHED_STATES:
            step(offsets["request"], 6, lambda: services.item_request_check(actor=manager, item=holder["item"]))
        if state in (ItemStatus.CLOSED_EFFECTIVE, CLOSED_AFTER_REOPENING, ItemStatus.REOPENED):
            verdict = ItemStatus.CLOSED_EFFECTIVE if state == ItemStatus.CLOSED_EFFECTIVE else ItemStatus.REOPENED
            step(offsets["check"], 7, self.checking(holder, verdict))
        if state in (CLOSED_AFTER_REOPENING, ItemStatus.REOPENED):
            self.second_round(state, offsets, planned, holder, manager, raised_on, step)

        last_day = raised_on
        for offset, _order, perform in sorted(steps, key=lambda entry: (entry[0], entry[1])):
            perform()
            last_day = raised_on + datetime.timedelta(days=offset)
            self.stamps.stamp(last_day)
        self.date_records(holder["item"], planned, raised_on, offsets, state, last_day)
        self.final_states[holder["item"].status] += 1

    def finish_all(self, planned: list[_PlannedAction], offsets: dict[str, int], state: str) -> None:
        """Every action done (on time or late), or now and then one cancelled."""
        rng = self.rng
        for action in planned:
            action.fate = "on_time" if rng.random() < 0.65 else "late"
        if len(planned) > 1 and rng.random() < 0.25:
            rng.choice(planned[1:]).fate = "cancelled"
        for action in planned:
            action.started = offsets["start"] + rng.randint(0, 10)
            if action.fate == "on_time":
                action.finished = max(action.started + 2, action.due - rng.randint(0, 15))
            elif action.fate == "late":
                action.finished = action.due + rng.randint(3, 35)
            else:
                action.finished = action.started + rng.randint(5, 30)
            self.add_notes(action, action.finished)
        offsets["request"] = max(action.finished or 0 for action in planned) + rng.randint(2, 15)
        if state != ItemStatus.AWAITING_CHECK:
            offsets["check"] = offsets["request"] + rng.randint(15, 60)
        if state in (CLOSED_AFTER_REOPENING, ItemStatus.REOPENED):
            offsets["reanalyse"] = offsets["check"] + rng.randint(5, 20)
        if state == CLOSED_AFTER_REOPENING:
            offsets["replan"] = offsets["reanalyse"] + rng.randint(0, 3)
            offsets["restart"] = offsets["replan"] + rng.randint(1, 5)
            offsets["redone"] = offsets["restart"] + rng.randint(15, 50)
            offsets["request_again"] = offsets["redone"] + rng.randint(2, 10)
            offsets["check_again"] = offsets["request_again"] + rng.randint(15, 45)

    def progress_some(self, planned: list[_PlannedAction], offsets: dict[str, int], available: int) -> None:
        """Actions under way: some done (on time or late), some open (a few overdue), now
        and then one cancelled; at least one still open."""
        rng = self.rng
        for action in planned:
            first_day = min(offsets["start"] + rng.randint(0, 10), available)
            if action.due < available - 3:
                fate = rng.choices(["on_time", "late", "in_progress", "planned", "cancelled"], [35, 20, 30, 5, 10])[0]
            else:
                fate = rng.choices(["on_time", "in_progress", "planned"], [20, 50, 30])[0]
            action.fate = fate
            if fate == "on_time":
                action.started = first_day
                action.finished = min(available, max(first_day + 1, action.due - rng.randint(0, 15)))
            elif fate == "late":
                action.started = first_day
                action.finished = min(available, action.due + rng.randint(3, 35))
            elif fate == "in_progress":
                action.started = first_day
            elif fate == "cancelled":
                action.started = first_day
                action.finished = min(available, first_day + rng.randint(5, 30))
        if all(action.fate in ("on_time", "late", "cancelled") for action in planned):
            last = planned[-1]
            last.fate, last.finished = "in_progress", None
            last.started = min(offsets["start"] + rng.randint(0, 10), available)
        for action in planned:
            if action.fate in ("planned", "in_progress") and action.due < available and rng.random() < 0.6:
                # Most late actions were given a new date when the delay became clear
                # (the plan is changed, not the story: the date is the due date of today).
                action.due = available + rng.randint(7, 60)
        for action in planned:
            if action.started is not None:
                self.add_notes(action, action.finished if action.finished is not None else available)

    def add_notes(self, action: _PlannedAction, until: int) -> None:
        if action.started is None or action.fate == "planned" or until - action.started < 4:
            return
        count = self.rng.choice([0, 1, 1, 2])
        action.notes = sorted(self.rng.randint(action.started + 1, until - 1) for _index in range(count))

    def analysis(self, instance: _Instance) -> dict[str, Any]:
        rng, scenario = self.rng, instance.scenario
        cause = instance.fill(scenario.cause)
        if scenario.origin in (SU, OA):
            method = RootCauseMethod.OTHER
            lines = [f"Besoin constaté : {cause}", "Étude de faisabilité faite avec les services concernés."]
        elif rng.random() < 0.6:
            method = RootCauseMethod.FIVE_WHYS
            lines = [
                f"1. Pourquoi ? {instance.fill(scenario.title)}.",
                f"2. Pourquoi ? {cause}",
                "3. Pourquoi ? Aucune vérification ne détectait l'écart avant qu'il ait des effets.",
            ]
        else:
            method = RootCauseMethod.ISHIKAWA
            branches = rng.sample(list(ISHIKAWA_BRANCHES), 3)
            lines = [f"{branch} : {rng.choice(ISHIKAWA_BRANCHES[branch])}" for branch in branches]
        return {
            "immediate_correction": scenario.correction,
            "root_cause_method": method,
            "root_cause_analysis": "\n".join(lines),
            "root_cause": cause,
            "extent": rng.choice(EXTENTS) if scenario.origin in (NC, RE) else "",
        }

    def creating(
        self, action: _PlannedAction, holder: dict[str, ImprovementItem], manager: Person, raised_on: datetime.date
    ) -> Callable[[], None]:
        def create() -> None:
            due_on = raised_on + datetime.timedelta(days=action.due)
            # The service refuses a due date more than a year past; date_records sets the real one.
            allowed = max(due_on, self.today - datetime.timedelta(days=300))
            action.record = services.action_create(
                actor=manager,
                item=holder["item"],
                data={"kind": action.kind, "title": action.title, "owner": action.owner, "due_on": allowed},
            )

        return create

    def action_steps(
        self, action: _PlannedAction, step: Callable[[int, int, Callable[[], Any]], None], manager: Person
    ) -> None:
        rng = self.rng

        def record() -> Action:
            assert action.record is not None
            return action.record

        if action.started is not None and action.fate != "cancelled":
            step(action.started, 5, lambda: services.action_start(actor=action.owner, action=record()))
        for offset in action.notes:
            step(offset, 5, self.noting(action, rng.choice(PROGRESS_NOTES)))
        if action.finished is None:
            return
        if action.fate == "cancelled":
            reason = rng.choice(CANCELLATION_REASONS)
            step(action.finished, 5, lambda: services.action_cancel(actor=manager, action=record(), reason=reason))
        else:
            note = rng.choice(COMPLETION_NOTES_ON_TIME if action.fate == "on_time" else COMPLETION_NOTES_LATE)
            step(action.finished, 5, lambda: services.action_complete(actor=action.owner, action=record(), note=note))

    @staticmethod
    def noting(action: _PlannedAction, text: str) -> Callable[[], None]:
        def note() -> None:
            assert action.record is not None
            services.action_add_note(actor=action.owner, action=action.record, text=text)

        return note

    def checking(self, holder: dict[str, ImprovementItem], verdict: str) -> Callable[[], None]:
        quality = self.cast.quality

        def check() -> None:
            if verdict == ItemStatus.CLOSED_EFFECTIVE:
                note = self.rng.choice(EFFECTIVENESS_NOTES)
                services.item_close_effective(actor=quality, item=holder["item"], note=note)
            else:
                services.item_reopen(actor=quality, item=holder["item"], reason=self.rng.choice(REOPEN_REASONS))

        return check

    def second_round(
        self,
        state: str,
        offsets: dict[str, int],
        planned: list[_PlannedAction],
        holder: dict[str, ImprovementItem],
        manager: Person,
        raised_on: datetime.date,
        step: Callable[[int, int, Callable[[], Any]], None],
    ) -> None:
        """After a failed check: a new action (for half of the reopened items, which stay
        reopened), or a second analysis, action and check that close the item."""
        rng = self.rng
        available = (self.today - raised_on).days
        kind, title = rng.choice(SECOND_ACTIONS)
        owner = planned[0].owner
        if state == ItemStatus.REOPENED:
            if rng.random() < 0.5:
                created = offsets["reanalyse"]
                action = _PlannedAction(
                    kind=kind,
                    title=title,
                    owner=owner,
                    due=max(created + 30, available + rng.randint(-15, 60)),
                    created=created,
                )
                planned.append(action)
                step(created, 8, self.creating(action, holder, manager, raised_on))
            return
        analysis = {
            "immediate_correction": "",
            "root_cause_method": RootCauseMethod.FIVE_WHYS,
            "root_cause_analysis": "1. Pourquoi l'écart est-il revenu ? Le nouveau circuit n'était pas appliqué.\n"
            "2. Pourquoi ? Les personnes concernées n'avaient pas été formées.",
            "root_cause": "Le changement n'a pas été accompagné auprès de ceux qui l'appliquent.",
            "extent": "",
        }
        step(
            offsets["reanalyse"],
            8,
            lambda: services.item_analyse(
                actor=manager, item=holder["item"], analysis=analysis, reason="Seconde analyse après réouverture."
            ),
        )
        action = _PlannedAction(
            kind=kind,
            title=title,
            owner=owner,
            due=offsets["redone"] + rng.randint(0, 10),
            created=offsets["replan"],
            fate="on_time",
            started=offsets["restart"],
            finished=offsets["redone"],
        )
        planned.append(action)
        step(action.created, 9, self.creating(action, holder, manager, raised_on))
        step(offsets["restart"], 10, lambda: services.item_start_actions(actor=manager, item=holder["item"]))
        self.action_steps(action, lambda offset, _order, perform: step(offset, 11, perform), manager)
        step(offsets["request_again"], 12, lambda: services.item_request_check(actor=manager, item=holder["item"]))
        step(offsets["check_again"], 13, self.checking(holder, ItemStatus.CLOSED_EFFECTIVE))

    # Dates --------------------------------------------------------------------------------

    def date_records(
        self,
        item: ImprovementItem,
        planned: list[_PlannedAction],
        raised_on: datetime.date,
        offsets: dict[str, int],
        state: str,
        last_day: datetime.date,
    ) -> None:
        """Give the records the dates of their story (demo data only: see _Stamps)."""

        def day(offset: int) -> datetime.date:
            return raised_on + datetime.timedelta(days=offset)

        item_dates: dict[str, Any] = {"created_at": _moment(raised_on, 9), "updated_at": _moment(last_day, 17)}
        if state == ItemStatus.REJECTED:
            item_dates["closed_on"] = day(offsets["decide"])
        elif state == ItemStatus.CLOSED_EFFECTIVE:
            item_dates["closed_on"] = day(offsets["check"])
        elif state == CLOSED_AFTER_REOPENING:
            item_dates["closed_on"] = day(offsets["check_again"])
        ImprovementItem.objects.filter(pk=item.pk).update(**item_dates)
        for action in planned:
            if action.record is None:
                continue
            last = max(action.created, action.started or 0, action.finished or 0, *action.notes)
            dates: dict[str, Any] = {
                "due_on": day(action.due),
                "created_at": _moment(day(action.created), 10),
                "updated_at": _moment(day(last), 16),
            }
            if action.fate in ("on_time", "late") and action.finished is not None:
                dates["completed_on"] = day(action.finished)
            Action.objects.filter(pk=action.record.pk).update(**dates)

    # Actions of no item -------------------------------------------------------------------------

    def standalone_actions(self) -> None:
        rng = self.rng
        for code, kind, title, owner_reference in STANDALONE_ACTIONS:
            process = self.cast.processes[code]
            owner = self.cast.find(owner_reference, process.department)
            created = self.today - datetime.timedelta(days=rng.randint(20, 300))
            due_on = created + datetime.timedelta(days=rng.randint(30, 150))
            action = services.action_create(
                actor=process.owner,
                data={"kind": kind, "title": title, "owner": owner, "due_on": due_on, "process": process},
            )
            self.stamps.stamp(created)
            fate = rng.choice(["planned", "in_progress", "in_progress", "done", "done"])
            dates: dict[str, Any] = {"created_at": _moment(created, 10), "updated_at": _moment(created, 10)}
            if fate != "planned":
                started = min(self.today, created + datetime.timedelta(days=rng.randint(2, 20)))
                services.action_start(actor=owner, action=action)
                self.stamps.stamp(started)
                dates["updated_at"] = _moment(started, 11)
                if fate == "done":
                    finished = min(self.today, max(started, due_on + datetime.timedelta(days=rng.randint(-20, 10))))
                    services.action_complete(actor=owner, action=action, note=rng.choice(COMPLETION_NOTES_ON_TIME))
                    self.stamps.stamp(finished)
                    dates["completed_on"] = finished
                    dates["updated_at"] = _moment(finished, 15)
            Action.objects.filter(pk=action.pk).update(**dates)


def build_improvement_demo(*, rng: random.Random, stdout: Any = None) -> dict[str, int]:
    """Raise the demo's items, walk each to its final state through the services, and
    return the counts of items, actions and progress notes."""
    builder = _ImprovementBuilder(rng=rng, stdout=stdout)
    with _emails_held_back(Person.objects.filter(is_active=True).order_by("pk")):
        counts = builder.build()
    states = ", ".join(f"{ItemStatus(state).label} {builder.final_states[state]}" for state in ItemStatus)
    builder.say(f"improvement: {counts['improvement_items']} items ({states}), {counts['improvement_actions']} actions")
    return counts
