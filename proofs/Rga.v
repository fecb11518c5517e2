(** * RGA inserts commute

    Two inserts into one sequence commute when they make different elements and neither names the
    other's element as its reference: whichever arrives first, the list ends up the same. This holds
    for every list, whatever the op IDs in it. *)

From Coq Require Import List Bool.
From Converge Require Import OpId Model.
Import ListNotations.

Ltac id_cases := split_ids; simpl; try solve [exfalso; opid_arith]; try reflexivity.

Lemma rga_place_comm :
  forall e1 e2 l, e1 <> e2 -> rga_place e1 (rga_place e2 l) = rga_place e2 (rga_place e1 l).
Proof.
  intros e1 e2 l Hne; induction l as [| x xs IH]; simpl.
  - id_cases.
  - destruct (id_gtb x e2) eqn:G2; destruct (id_gtb x e1) eqn:G1; simpl;
      rewrite ?G1, ?G2; simpl.
    + rewrite IH; reflexivity.
    + assert (id_gtb e1 e2 = true) as G by opid_arith; simp_ids; reflexivity.
    + assert (id_gtb e2 e1 = true) as G by opid_arith; simp_ids; reflexivity.
    + destruct (id_gtb e2 e1) eqn:G; destruct (id_gtb e1 e2) eqn:G'; simpl;
        rewrite ?G1, ?G2; try reflexivity; exfalso; opid_arith.
Qed.

(** What an insert after an element returns starts with the list's first element. *)
Lemma rga_after_head :
  forall r e x xs l, rga_after r e (x :: xs) = Some l -> exists rest, l = x :: rest.
Proof.
  intros r e x xs l H; simpl in H; destruct (id_eqb x r).
  - injection H as <-; eauto.
  - destruct (rga_after r e xs); simpl in H; [injection H as <-; eauto | discriminate].
Qed.

Lemma rga_after_skip :
  forall r e y l, y <> r -> rga_after r e (y :: l) = option_map (cons y) (rga_after r e l).
Proof. intros r e y l H; simpl; replace (id_eqb y r) with false by (symmetry; opid_arith); reflexivity. Qed.

(** An insert at the head commutes with an insert after an element other than the new one. *)
Lemma rga_after_place :
  forall r e1 e2 l,
    r <> e1 -> e1 <> e2 ->
    rga_after r e2 (rga_place e1 l) = option_map (rga_place e1) (rga_after r e2 l).
Proof.
  intros r e1 e2 l Hr Hne; induction l as [| x xs IH].
  - simpl; replace (id_eqb e1 r) with false by (symmetry; opid_arith); reflexivity.
  - destruct (id_gtb x e1) eqn:G1.
    + simpl; rewrite G1; simpl; rewrite IH; destruct (id_eqb x r) eqn:E; simpl.
      * simp_ids; rewrite rga_place_comm by congruence; reflexivity.
      * destruct (rga_after r e2 xs); simp_ids; reflexivity.
    + replace (rga_place e1 (x :: xs)) with (e1 :: x :: xs) by (simpl; rewrite G1; reflexivity).
      rewrite rga_after_skip by congruence.
      destruct (rga_after r e2 (x :: xs)) eqn:H; [| reflexivity].
      (* The insert kept [x] first, and [x] is not greater than [e1]: [e1] goes before it. *)
      destruct (rga_after_head _ _ _ _ _ H) as [rest ->]; simp_ids; reflexivity.
Qed.

Lemma rga_after_comm :
  forall r1 r2 e1 e2 l,
    e1 <> e2 -> r1 <> e2 -> r2 <> e1 ->
    obind (rga_after r1 e1 l) (rga_after r2 e2) = obind (rga_after r2 e2 l) (rga_after r1 e1).
Proof.
  intros r1 r2 e1 e2 l Hne H1 H2; induction l as [| x xs IH]; simpl; [reflexivity |].
  destruct (id_eqb x r1) eqn:E1; destruct (id_eqb x r2) eqn:E2; simpl; rewrite ?E1, ?E2.
  - rewrite rga_place_comm by congruence; reflexivity.
  - rewrite rga_after_place by (try opid_arith; congruence).
    destruct (rga_after r2 e2 xs); simpl; rewrite ?E1; reflexivity.
  - rewrite rga_after_place by (try opid_arith; congruence).
    destruct (rga_after r1 e1 xs); simpl; rewrite ?E2; reflexivity.
  - destruct (rga_after r1 e1 xs) as [l1 |] eqn:A1; destruct (rga_after r2 e2 xs) as [l2 |] eqn:A2;
      simpl in IH |- *; rewrite ?E1, ?E2.
    + destruct (rga_after r2 e2 l1); destruct (rga_after r1 e1 l2); simpl; congruence.
    + destruct (rga_after r2 e2 l1); simpl; congruence.
    + destruct (rga_after r1 e1 l2); simpl; congruence.
    + reflexivity.
Qed.

(** The RGA commutation: two inserts of different elements, neither after the other's element,
    give the same list in either order (and fail in either order alike). *)
Theorem rga_insert_comm :
  forall ref1 ref2 e1 e2 l,
    e1 <> e2 -> ref1 <> Some e2 -> ref2 <> Some e1 ->
    obind (rga_insert ref1 e1 l) (rga_insert ref2 e2) =
    obind (rga_insert ref2 e2 l) (rga_insert ref1 e1).
Proof.
  intros [r1 |] [r2 |] e1 e2 l Hne H1 H2; simpl.
  - apply rga_after_comm; congruence.
  - rewrite rga_after_place by congruence.
    destruct (rga_after r1 e1 l); reflexivity.
  - rewrite rga_after_place by congruence.
    destruct (rga_after r2 e2 l); reflexivity.
  - rewrite rga_place_comm by congruence; reflexivity.
Qed.

(** An insert adds exactly the new element. *)
Lemma rga_insert_in :
  forall ref e l l' x, rga_insert ref e l = Some l' -> (In x l' <-> In x l \/ e = x).
Proof.
  assert (place_in : forall e l x, In x (rga_place e l) <-> In x l \/ e = x).
  { intros e l x; induction l as [| y ys IH]; simpl; [tauto |].
    destruct (id_gtb y e); simpl; rewrite ?IH; tauto. }
  intros [r |] e l l' x H; simpl in H.
  - revert l' H; induction l as [| y ys IH]; intros l' H; simpl in H; [discriminate |].
    destruct (id_eqb y r).
    + injection H as <-; simpl; rewrite place_in; tauto.
    + destruct (rga_after r e ys) as [l1 |] eqn:A; simpl in H; [| discriminate].
      injection H as <-; simpl; rewrite (IH l1 eq_refl); tauto.
  - injection H as <-; apply place_in.
Qed.
