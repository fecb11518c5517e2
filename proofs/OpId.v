(** * Operation IDs and their order

    An op ID is a Lamport counter and an actor. Converge (like Automerge) orders op IDs by counter
    first and breaks ties by actor; the engine compares actor bytes, which is a total order on
    actors, so the model numbers actors in that order and compares the numbers. *)

From Coq Require Import Arith Bool Lia.

Record opid := OpId { ctr : nat; actor : nat }.

Definition id_eqb (a b : opid) : bool := Nat.eqb (ctr a) (ctr b) && Nat.eqb (actor a) (actor b).

(** [id_gtb a b]: [a] is the greater op ID. *)
Definition id_gtb (a b : opid) : bool :=
  Nat.ltb (ctr b) (ctr a) || (Nat.eqb (ctr b) (ctr a) && Nat.ltb (actor b) (actor a)).

Lemma opid_eq_iff : forall a b, a = b <-> ctr a = ctr b /\ actor a = actor b.
Proof.
  intros [c1 a1] [c2 a2]; simpl; split.
  - intro H; inversion H; auto.
  - intros [H1 H2]; subst; reflexivity.
Qed.

Lemma id_eqb_true : forall a b, id_eqb a b = true <-> ctr a = ctr b /\ actor a = actor b.
Proof. intros a b; unfold id_eqb; rewrite andb_true_iff, !Nat.eqb_eq; tauto. Qed.

Lemma id_eqb_false : forall a b, id_eqb a b = false <-> ~ (ctr a = ctr b /\ actor a = actor b).
Proof. intros a b; rewrite <- id_eqb_true; destruct (id_eqb a b); intuition congruence. Qed.

Lemma id_gtb_true :
  forall a b, id_gtb a b = true <-> (ctr b < ctr a \/ (ctr b = ctr a /\ actor b < actor a)).
Proof.
  intros a b; unfold id_gtb; rewrite orb_true_iff, andb_true_iff, !Nat.ltb_lt, Nat.eqb_eq; tauto.
Qed.

Lemma id_gtb_false :
  forall a b, id_gtb a b = false <-> ~ (ctr b < ctr a \/ (ctr b = ctr a /\ actor b < actor a)).
Proof. intros a b; rewrite <- id_gtb_true; destruct (id_gtb a b); intuition congruence. Qed.

Lemma id_eqb_eq : forall a b, id_eqb a b = true <-> a = b.
Proof. intros a b; rewrite id_eqb_true, opid_eq_iff; tauto. Qed.

Lemma id_eqb_neq : forall a b, id_eqb a b = false <-> a <> b.
Proof. intros a b; rewrite <- id_eqb_eq; destruct (id_eqb a b); intuition congruence. Qed.

Lemma id_eqb_refl : forall a, id_eqb a a = true.
Proof. intro a; apply id_eqb_eq; reflexivity. Qed.

Lemma opid_eq_dec : forall a b : opid, {a = b} + {a <> b}.
Proof.
  intros a b; destruct (id_eqb a b) eqn:E.
  - left; apply id_eqb_eq; exact E.
  - right; apply id_eqb_neq; exact E.
Defined.

(** Turns every fact about op IDs in the context and the goal into arithmetic, for [lia]. *)
Ltac opid_arith :=
  repeat match goal with
    | H : id_gtb _ _ = true |- _ => apply id_gtb_true in H
    | H : id_gtb _ _ = false |- _ => apply id_gtb_false in H
    | H : id_eqb _ _ = true |- _ => apply id_eqb_true in H
    | H : id_eqb _ _ = false |- _ => apply id_eqb_false in H
    | H : @eq opid _ _ |- _ => apply opid_eq_iff in H
    | H : ~ @eq opid _ _ |- _ => rewrite opid_eq_iff in H
    | |- id_gtb _ _ = true => apply id_gtb_true
    | |- id_gtb _ _ = false => apply id_gtb_false
    | |- id_eqb _ _ = true => apply id_eqb_true
    | |- id_eqb _ _ = false => apply id_eqb_false
    | |- @eq opid _ _ => apply opid_eq_iff
    | |- ~ @eq opid _ _ => rewrite opid_eq_iff
    end;
  lia.

(** Splits the goal on every op ID comparison it mentions. *)
Ltac split_ids :=
  repeat match goal with
    | |- context [id_gtb ?a ?b] => let H := fresh "G" in destruct (id_gtb a b) eqn:H
    | |- context [id_eqb ?a ?b] => let H := fresh "E" in destruct (id_eqb a b) eqn:H
    end.

(** Rewrites with every known op ID comparison, simplifying as it goes. *)
Ltac simp_ids :=
  repeat (simpl;
          match goal with
          | H : id_gtb ?a ?b = _ |- context [id_gtb ?a ?b] => rewrite H
          | H : id_eqb ?a ?b = _ |- context [id_eqb ?a ?b] => rewrite H
          end);
  simpl.
