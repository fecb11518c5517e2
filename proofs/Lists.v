(** * Ordered insertion and in-place updates commute

    The state is a list of entries kept in op ID order, and each op changes it by inserting its
    entry, by rewriting the entries it names, or by rewriting the entry of the sequence it inserts
    into. These lemmas say when two such changes commute. None of them assumes the list is sorted or
    free of duplicates: they hold for every list. *)

From Coq Require Import List Bool.
From Converge Require Import OpId Model.
Import ListNotations.

Lemma ord_insert_comm :
  forall {A} (k : A -> opid) a b l,
    k a <> k b -> ord_insert k a (ord_insert k b l) = ord_insert k b (ord_insert k a l).
Proof.
  intros A k a b l Hne; induction l as [| x xs IH].
  - simpl; destruct (id_gtb (k b) (k a)) eqn:G1; destruct (id_gtb (k a) (k b)) eqn:G2;
      try reflexivity; exfalso; opid_arith.
  - simpl; destruct (id_gtb (k x) (k b)) eqn:Gb; destruct (id_gtb (k x) (k a)) eqn:Ga.
    + destruct (id_gtb (k b) (k a)) eqn:G1; destruct (id_gtb (k a) (k b)) eqn:G2; simp_ids;
        try reflexivity; exfalso; opid_arith.
    + assert (id_gtb (k b) (k a) = false) by opid_arith; simp_ids; reflexivity.
    + assert (id_gtb (k a) (k b) = false) by opid_arith; simp_ids; reflexivity.
    + simp_ids; rewrite IH; reflexivity.
Qed.

Lemma set_add_comm : forall a b l, set_add a (set_add b l) = set_add b (set_add a l).
Proof.
  intros a b l; destruct (opid_eq_dec a b) as [-> | Hne]; [reflexivity |].
  induction l as [| x xs IH].
  - simpl; destruct (id_eqb b a) eqn:E1; destruct (id_eqb a b) eqn:E2;
      destruct (id_gtb b a) eqn:G1; destruct (id_gtb a b) eqn:G2;
      try reflexivity; exfalso; opid_arith.
  - simpl; destruct (id_eqb x b) eqn:Eb; destruct (id_eqb x a) eqn:Ea;
      destruct (id_gtb x b) eqn:Gb; destruct (id_gtb x a) eqn:Ga;
      try (exfalso; opid_arith); simp_ids;
      try (rewrite IH; reflexivity);
      destruct (id_eqb b a) eqn:E1; destruct (id_eqb a b) eqn:E2;
      destruct (id_gtb b a) eqn:G1; destruct (id_gtb a b) eqn:G2;
      try (exfalso; opid_arith); simp_ids; reflexivity.
Qed.

Lemma map_ord_insert :
  forall {A} (k : A -> opid) (f : A -> A) a l,
    (forall x, k (f x) = k x) -> map f (ord_insert k a l) = ord_insert k (f a) (map f l).
Proof.
  intros A k f a l Hk; induction l as [| x xs IH]; simpl; [reflexivity |].
  rewrite !Hk; destruct (id_gtb (k x) (k a)); simpl; rewrite ?IH; reflexivity.
Qed.

Lemma mem_true : forall a l, mem a l = true <-> In a l.
Proof.
  intros a l; unfold mem; rewrite existsb_exists; split.
  - intros [x [Hin He]]; apply id_eqb_eq in He; subst; exact Hin.
  - intro Hin; exists a; split; [exact Hin | apply id_eqb_refl].
Qed.

Lemma mem_false : forall a l, mem a l = false <-> ~ In a l.
Proof. intros a l; rewrite <- mem_true; destruct (mem a l); intuition congruence. Qed.

Lemma mem_set_add : forall a b l, mem a (set_add b l) = id_eqb a b || mem a l.
Proof.
  intros a b l; induction l as [| x xs IH]; simpl; [rewrite orb_false_r; reflexivity |].
  destruct (id_eqb x b) eqn:E; [| destruct (id_gtb x b) eqn:G]; simpl.
  - destruct (id_eqb a x) eqn:Ea; destruct (id_eqb a b) eqn:Eb; simpl;
      try reflexivity; exfalso; opid_arith.
  - reflexivity.
  - rewrite IH; destruct (id_eqb a x), (id_eqb a b), (mem a xs); reflexivity.
Qed.

(** ** Updating the entry of one op *)

Definition keeps_id (f : entry -> option entry) : Prop :=
  forall en en', f en = Some en' -> e_id en' = e_id en.

Lemma update_first_map :
  forall i f g s,
    (forall en, e_id (g en) = e_id en) ->
    (forall en, f (g en) = option_map g (f en)) ->
    update_first i f (map g s) = option_map (map g) (update_first i f s).
Proof.
  intros i f g s Hid Hfg; induction s as [| en rest IH]; simpl; [reflexivity |].
  rewrite Hid; destruct (id_eqb (e_id en) i).
  - rewrite Hfg; destruct (f en); reflexivity.
  - rewrite IH; destruct (update_first i f rest); reflexivity.
Qed.

Lemma update_first_insert :
  forall i f n s,
    e_id n <> i -> keeps_id f ->
    update_first i f (ord_insert e_id n s) = option_map (ord_insert e_id n) (update_first i f s).
Proof.
  intros i f n s Hn Hf; induction s as [| en rest IH]; simpl.
  - replace (id_eqb (e_id n) i) with false by (symmetry; opid_arith); reflexivity.
  - destruct (id_gtb (e_id en) (e_id n)) eqn:G; simpl.
    + replace (id_eqb (e_id n) i) with false by (symmetry; opid_arith); simpl.
      destruct (id_eqb (e_id en) i) eqn:E.
      * destruct (f en) as [en' |] eqn:F; simpl; [| reflexivity].
        rewrite (Hf _ _ F), G; reflexivity.
      * destruct (update_first i f rest); simpl; rewrite ?G; reflexivity.
    + destruct (id_eqb (e_id en) i) eqn:E.
      * destruct (f en) as [en' |] eqn:F; simpl; [| reflexivity].
        rewrite (Hf _ _ F), G; reflexivity.
      * rewrite IH; destruct (update_first i f rest); simpl; rewrite ?G; reflexivity.
Qed.

Lemma update_first_comm_same :
  forall i f g s,
    keeps_id f -> keeps_id g ->
    (forall en, obind (f en) g = obind (g en) f) ->
    obind (update_first i f s) (update_first i g) = obind (update_first i g s) (update_first i f).
Proof.
  intros i f g s Hf Hg Hfg; induction s as [| en rest IH]; simpl; [reflexivity |].
  destruct (id_eqb (e_id en) i) eqn:E.
  - specialize (Hfg en).
    destruct (f en) as [ef |] eqn:F; destruct (g en) as [eg |] eqn:G; simpl in Hfg |- *.
    + rewrite (Hf _ _ F), (Hg _ _ G), E; destruct (g ef); destruct (f eg); simpl in *; first [reflexivity | discriminate | congruence].
    + rewrite (Hf _ _ F), E; destruct (g ef); simpl in *; first [reflexivity | discriminate | congruence].
    + rewrite (Hg _ _ G), E; destruct (f eg); simpl in *; first [reflexivity | discriminate | congruence].
    + reflexivity.
  - destruct (update_first i f rest) as [sf |] eqn:F;
      destruct (update_first i g rest) as [sg |] eqn:G; simpl in IH |- *; rewrite ?E.
    + destruct (update_first i g sf); destruct (update_first i f sg); simpl; first [reflexivity | discriminate | congruence].
    + destruct (update_first i g sf); simpl; first [reflexivity | discriminate | congruence].
    + destruct (update_first i f sg); simpl; first [reflexivity | discriminate | congruence].
    + reflexivity.
Qed.

Lemma update_first_comm_diff :
  forall i j f g s,
    i <> j -> keeps_id f -> keeps_id g ->
    obind (update_first i f s) (update_first j g) = obind (update_first j g s) (update_first i f).
Proof.
  intros i j f g s Hij Hf Hg; induction s as [| en rest IH]; simpl; [reflexivity |].
  destruct (id_eqb (e_id en) i) eqn:Ei; destruct (id_eqb (e_id en) j) eqn:Ej;
    try (exfalso; opid_arith).
  - destruct (f en) as [ef |] eqn:F; simpl.
    + rewrite (Hf _ _ F), Ej.
      destruct (update_first j g rest); simpl; rewrite ?Ei, ?F; reflexivity.
    + destruct (update_first j g rest); simpl; rewrite ?Ei, ?F; reflexivity.
  - destruct (g en) as [eg |] eqn:G; simpl.
    + rewrite (Hg _ _ G), Ei.
      destruct (update_first i f rest); simpl; rewrite ?Ej, ?G; reflexivity.
    + destruct (update_first i f rest); simpl; rewrite ?Ej, ?G; reflexivity.
  - destruct (update_first i f rest) as [sf |] eqn:F;
      destruct (update_first j g rest) as [sg |] eqn:G; simpl in IH |- *; rewrite ?Ei, ?Ej.
    + destruct (update_first j g sf); destruct (update_first i f sg); simpl; first [reflexivity | discriminate | congruence].
    + destruct (update_first j g sf); simpl; first [reflexivity | discriminate | congruence].
    + destruct (update_first i f sg); simpl; first [reflexivity | discriminate | congruence].
    + reflexivity.
Qed.

(** ** Finding the entry of one op *)

Lemma lookup_map :
  forall i g s, (forall en, e_id (g en) = e_id en) ->
    lookup i (map g s) = option_map g (lookup i s).
Proof.
  intros i g s Hid; induction s as [| en rest IH]; simpl; [reflexivity |].
  rewrite Hid; destruct (id_eqb (e_id en) i); [reflexivity | exact IH].
Qed.

Lemma lookup_insert :
  forall i n s, e_id n <> i -> lookup i (ord_insert e_id n s) = lookup i s.
Proof.
  intros i n s Hn; induction s as [| en rest IH]; simpl.
  - replace (id_eqb (e_id n) i) with false by (symmetry; opid_arith); reflexivity.
  - destruct (id_gtb (e_id en) (e_id n)); simpl.
    + replace (id_eqb (e_id n) i) with false by (symmetry; opid_arith); reflexivity.
    + destruct (id_eqb (e_id en) i); [reflexivity | exact IH].
Qed.

Lemma lookup_update_other :
  forall i j f s s', i <> j -> keeps_id f -> update_first j f s = Some s' -> lookup i s' = lookup i s.
Proof.
  intros i j f s; induction s as [| en rest IH]; intros s' Hij Hf H; simpl in H; [discriminate |].
  destruct (id_eqb (e_id en) j) eqn:Ej.
  - destruct (f en) as [en' |] eqn:F; simpl in H; [| discriminate].
    injection H as <-; simpl; rewrite (Hf _ _ F).
    replace (id_eqb (e_id en) i) with false by (symmetry; opid_arith); reflexivity.
  - destruct (update_first j f rest) as [rest' |] eqn:U; simpl in H; [| discriminate].
    injection H as <-; simpl; destruct (id_eqb (e_id en) i); [reflexivity |].
    exact (IH rest' Hij Hf eq_refl).
Qed.

Lemma lookup_update_same :
  forall i f s, keeps_id f -> forall s', update_first i f s = Some s' ->
    exists en en', lookup i s = Some en /\ f en = Some en' /\ lookup i s' = Some en'.
Proof.
  intros i f s Hf; induction s as [| en rest IH]; intros s' H; simpl in H; [discriminate |].
  simpl; destruct (id_eqb (e_id en) i) eqn:E.
  - destruct (f en) as [en' |] eqn:F; simpl in H; [| discriminate].
    injection H as <-; exists en, en'; simpl; rewrite (Hf _ _ F), E; auto.
  - destruct (update_first i f rest) as [rest' |] eqn:U; simpl in H; [| discriminate].
    injection H as <-; simpl; rewrite E; exact (IH rest' eq_refl).
Qed.
