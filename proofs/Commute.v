(** * Independent operations commute

    Two ops with different IDs, neither of which names the other (as its object, its element or
    reference element, or a predecessor), give the same state in either order, from any state;
    and if one order fails (an op the engine would reject), so does the other. *)

From Coq Require Import List Bool ZArith.
From Converge Require Import OpId Model Rga Lists.
Import ListNotations.

Definition independent (a b : op) : Prop :=
  op_id a <> op_id b /\ ~ In (op_id a) (refs b) /\ ~ In (op_id b) (refs a).

(** ** Marking predecessors *)

Definition names (f : effect) (en : entry) : bool :=
  objid_eqb (e_obj en) (ef_obj f) && key_eqb (e_key en) (ef_key f) && mem (e_id en) (ef_preds f).

Definition linked (f : effect) (en : entry) : entry :=
  match ef_inc f, e_action en with
  | Some z, Put (SCounter _) => with_incs en (ord_insert fst (ef_id f, z) (e_incs en))
  | _, _ => with_succ en (set_add (ef_id f) (e_succ en))
  end.

Lemma link_unfold : forall f en, link f en = if names f en then linked f en else en.
Proof. reflexivity. Qed.

Ltac entry_cases :=
  repeat (simpl;
          match goal with
          | en : entry |- _ => destruct en
          | |- context [match ?x with Some _ => _ | None => _ end] => destruct x
          | |- context [match ?a with Make _ => _ | Put _ => _ | Del => _ | Inc _ => _ end] =>
              destruct a
          | |- context [match ?v with SCounter _ => _ | SOther _ => _ end] => destruct v
          end);
  simpl.

Lemma linked_fields :
  forall f en,
    e_id (linked f en) = e_id en /\ e_obj (linked f en) = e_obj en /\
    e_key (linked f en) = e_key en /\ e_action (linked f en) = e_action en /\
    e_elems (linked f en) = e_elems en.
Proof. intros f en; unfold linked; entry_cases; repeat split. Qed.

Lemma names_linked : forall f g en, names f (linked g en) = names f en.
Proof.
  intros f g en; unfold names; destruct (linked_fields g en) as (-> & -> & -> & _ & _).
  reflexivity.
Qed.

Lemma link_fields :
  forall f en,
    e_id (link f en) = e_id en /\ e_action (link f en) = e_action en /\
    e_elems (link f en) = e_elems en.
Proof.
  intros f en; rewrite link_unfold; destruct (names f en); [| auto].
  destruct (linked_fields f en) as (? & _ & _ & ? & ?); auto.
Qed.

Lemma link_id : forall f en, e_id (link f en) = e_id en.
Proof. intros f en; apply link_fields. Qed.

Lemma names_link : forall f g en, names f (link g en) = names f en.
Proof.
  intros f g en; rewrite link_unfold; destruct (names g en); [apply names_linked | reflexivity].
Qed.

Lemma linked_comm :
  forall f g en, ef_id f <> ef_id g -> linked f (linked g en) = linked g (linked f en).
Proof.
  intros f g en Hne; unfold linked, with_incs, with_succ.
  destruct en as [i o k a succ incs elems]; simpl.
  destruct (ef_inc f) as [zf |]; destruct (ef_inc g) as [zg |];
    destruct a as [t | [zc | n] | | zi]; simpl; try reflexivity;
    try (rewrite set_add_comm; reflexivity).
  rewrite ord_insert_comm by (simpl; exact Hne); reflexivity.
Qed.

Lemma link_comm : forall f g en, ef_id f <> ef_id g -> link f (link g en) = link g (link f en).
Proof.
  intros f g en Hne.
  rewrite (link_unfold f (link g en)), (link_unfold g (link f en)), !names_link.
  destruct (names f en) eqn:Nf; destruct (names g en) eqn:Ng; rewrite ?link_unfold, ?Nf, ?Ng.
  - apply linked_comm; exact Hne.
  - reflexivity.
  - reflexivity.
  - reflexivity.
Qed.

Lemma link_new :
  forall f g a, ~ In (ef_id g) (ef_preds f) -> link f (new_entry g a) = new_entry g a.
Proof.
  intros f g a Hn; rewrite link_unfold; unfold names, new_entry; simpl.
  rewrite (proj2 (mem_false _ _) Hn), andb_false_r; reflexivity.
Qed.

(** ** Placing a new element *)

Lemma place_elem_keeps_id : forall ref e, keeps_id (place_elem ref e).
Proof.
  intros ref e en en' H; unfold place_elem in H.
  destruct (rga_insert ref e (e_elems en)); simpl in H; [injection H as <- | discriminate].
  reflexivity.
Qed.

Lemma place_elem_fields :
  forall ref e en en', place_elem ref e en = Some en' ->
    e_action en' = e_action en /\ (forall x, In x (e_elems en') <-> In x (e_elems en) \/ e = x).
Proof.
  intros ref e en en' H; unfold place_elem in H.
  destruct (rga_insert ref e (e_elems en)) as [l |] eqn:R; simpl in H; [| discriminate].
  injection H as <-; simpl; split; [reflexivity |].
  intro x; exact (rga_insert_in _ _ _ _ x R).
Qed.

Lemma place_elem_link :
  forall ref e g en, place_elem ref e (link g en) = option_map (link g) (place_elem ref e en).
Proof.
  intros ref e g en; unfold place_elem.
  destruct (link_fields g en) as (_ & _ & ->).
  destruct (rga_insert ref e (e_elems en)) as [l |]; simpl; [| reflexivity].
  f_equal; rewrite !link_unfold.
  replace (names g (with_elems en l)) with (names g en) by (destruct en; reflexivity).
  destruct (names g en); [| reflexivity].
  unfold linked, with_elems, with_incs, with_succ; destruct en; simpl; entry_cases; reflexivity.
Qed.

Lemma place_elem_comm :
  forall r1 r2 e1 e2 en,
    e1 <> e2 -> r1 <> Some e2 -> r2 <> Some e1 ->
    obind (place_elem r1 e1 en) (place_elem r2 e2) = obind (place_elem r2 e2 en) (place_elem r1 e1).
Proof.
  intros r1 r2 e1 e2 en H1 H2 H3; unfold place_elem.
  pose proof (rga_insert_comm r1 r2 e1 e2 (e_elems en) H1 H2 H3) as C.
  destruct en as [i o k a succ incs elems]; simpl in *.
  destruct (rga_insert r1 e1 elems) as [l1 |]; destruct (rga_insert r2 e2 elems) as [l2 |];
    simpl in *; try reflexivity.
  - destruct (rga_insert r2 e2 l1); destruct (rga_insert r1 e1 l2); simpl in *;
      unfold with_elems; simpl; first [reflexivity | discriminate | injection C as ->; reflexivity].
  - destruct (rga_insert r2 e2 l1); simpl in *; first [reflexivity | discriminate].
  - destruct (rga_insert r1 e1 l2); simpl in *; first [reflexivity | discriminate].
Qed.

(** ** Effects *)

Definition indep (f g : effect) : Prop :=
  ef_id f <> ef_id g /\ ~ In (ef_id g) (ef_preds f) /\ ~ In (ef_id f) (ef_preds g) /\
  (forall o r, ef_place f = Some (o, r) -> o <> ef_id g /\ r <> Some (ef_id g)) /\
  (forall o r, ef_place g = Some (o, r) -> o <> ef_id f /\ r <> Some (ef_id f)).

Definition store (f : effect) (s : state) : state :=
  match ef_store f with None => s | Some a => ord_insert e_id (new_entry f a) s end.

Lemma post_store : forall f s, post f s = store f (map (link f) s).
Proof. reflexivity. Qed.

Lemma store_comm :
  forall f g s, ef_id f <> ef_id g -> store f (store g s) = store g (store f s).
Proof.
  intros f g s Hne; unfold store.
  destruct (ef_store f); destruct (ef_store g); try reflexivity.
  apply ord_insert_comm; exact Hne.
Qed.

Lemma map_link_store :
  forall f g s, ~ In (ef_id g) (ef_preds f) -> map (link f) (store g s) = store g (map (link f) s).
Proof.
  intros f g s Hn; unfold store; destruct (ef_store g); [| reflexivity].
  rewrite map_ord_insert by apply link_id; rewrite link_new by exact Hn; reflexivity.
Qed.

Lemma post_comm : forall f g s, indep f g -> post f (post g s) = post g (post f s).
Proof.
  intros f g s (Hne & Hfg & Hgf & _ & _); rewrite !post_store.
  rewrite !map_link_store by assumption; rewrite !map_map.
  rewrite (map_ext (fun x => link f (link g x)) (fun x => link g (link f x)))
    by (intro; apply link_comm; exact Hne).
  apply store_comm; exact Hne.
Qed.

Lemma place_post :
  forall f g s, (forall o r, ef_place g = Some (o, r) -> o <> ef_id f) ->
    place g (post f s) = option_map (post f) (place g s).
Proof.
  intros f g s Ho; rewrite post_store; unfold place.
  destruct (ef_place g) as [[o r] |] eqn:P; [| reflexivity].
  specialize (Ho o r eq_refl).
  assert (U : update_first o (place_elem r (ef_id g)) (store f (map (link f) s)) =
              option_map (store f) (update_first o (place_elem r (ef_id g)) (map (link f) s))).
  { unfold store; destruct (ef_store f).
    - apply update_first_insert; [simpl; congruence | apply place_elem_keeps_id].
    - destruct (update_first o (place_elem r (ef_id g)) (map (link f) s)); reflexivity. }
  rewrite U, update_first_map by (intro; first [apply link_id | apply place_elem_link]).
  destruct (update_first o (place_elem r (ef_id g)) s); reflexivity.
Qed.

Lemma place_comm :
  forall f g s, indep f g -> obind (place f s) (place g) = obind (place g s) (place f).
Proof.
  intros f g s (Hne & _ & _ & Hf & Hg); unfold place.
  destruct (ef_place f) as [[o1 r1] |] eqn:P1; destruct (ef_place g) as [[o2 r2] |] eqn:P2.
  - destruct (Hf o1 r1 eq_refl) as [_ Hr1]; destruct (Hg o2 r2 eq_refl) as [_ Hr2].
    destruct (opid_eq_dec o1 o2) as [<- | Ho].
    + apply update_first_comm_same; try apply place_elem_keeps_id.
      intro en; apply place_elem_comm; assumption.
    + apply update_first_comm_diff; try apply place_elem_keeps_id; exact Ho.
  - simpl; destruct (update_first o1 (place_elem r1 (ef_id f)) s); reflexivity.
  - simpl; destruct (update_first o2 (place_elem r2 (ef_id g)) s); reflexivity.
  - reflexivity.
Qed.

Theorem run_comm :
  forall f g s, indep f g -> obind (run f s) (run g) = obind (run g s) (run f).
Proof.
  intros f g s H; unfold run.
  pose proof (place_comm f g s H) as C.
  assert (Pg : forall o r, ef_place g = Some (o, r) -> o <> ef_id f)
    by (intros o r P; destruct H as (_ & _ & _ & _ & Hg); exact (proj1 (Hg o r P))).
  assert (Pf : forall o r, ef_place f = Some (o, r) -> o <> ef_id g)
    by (intros o r P; destruct H as (_ & _ & _ & Hf & _); exact (proj1 (Hf o r P))).
  destruct (place f s) as [sf |] eqn:PF; destruct (place g s) as [sg |] eqn:PG; simpl in C |- *.
  - rewrite (place_post f g sf Pg), (place_post g f sg Pf), C.
    destruct (place f sg); simpl; [f_equal; symmetry; apply post_comm; exact H | reflexivity].
  - rewrite (place_post f g sf Pg), C; reflexivity.
  - rewrite (place_post g f sg Pf), <- C; reflexivity.
  - reflexivity.
Qed.

(** ** What an op's check depends on *)

Lemma lookup_run_obs :
  forall {B} (obs : entry -> B) g s s' i,
    run g s = Some s' -> i <> ef_id g ->
    (forall en, obs (link g en) = obs en) ->
    (forall o r en en', ef_place g = Some (o, r) -> place_elem r (ef_id g) en = Some en' ->
                         obs en' = obs en) ->
    option_map obs (lookup i s') = option_map obs (lookup i s).
Proof.
  intros B obs g s s' i R Hi Hlink Hplace; unfold run in R.
  destruct (place g s) as [s1 |] eqn:P; simpl in R; [injection R as <- | discriminate].
  rewrite post_store.
  replace (lookup i (store g (map (link g) s1))) with (lookup i (map (link g) s1))
    by (unfold store; destruct (ef_store g); [symmetry; apply lookup_insert; simpl; congruence |
                                              reflexivity]).
  rewrite lookup_map by apply link_id.
  destruct (lookup i s1) as [en1 |] eqn:L1; simpl; rewrite ?Hlink.
  - unfold place in P; destruct (ef_place g) as [[o r] |] eqn:EP.
    + destruct (opid_eq_dec i o) as [-> | Ho].
      * destruct (lookup_update_same o _ s (place_elem_keeps_id r (ef_id g)) s1 P)
          as (en & en' & L & F & L'); rewrite L; rewrite L1 in L'; injection L' as <-.
        simpl; f_equal; exact (Hplace o r en en1 eq_refl F).
      * rewrite <- (lookup_update_other i o _ s s1 Ho (place_elem_keeps_id r (ef_id g)) P), L1.
        reflexivity.
    + injection P as ->; rewrite L1; reflexivity.
  - unfold place in P; destruct (ef_place g) as [[o r] |] eqn:EP.
    + destruct (opid_eq_dec i o) as [-> | Ho].
      * destruct (lookup_update_same o _ s (place_elem_keeps_id r (ef_id g)) s1 P)
          as (en & en' & L & F & L'); congruence.
      * rewrite <- (lookup_update_other i o _ s s1 Ho (place_elem_keeps_id r (ef_id g)) P), L1.
        reflexivity.
    + injection P as ->; rewrite L1; reflexivity.
Qed.

Lemma obj_type_run :
  forall g s s' o, run g s = Some s' -> o <> Obj (ef_id g) -> obj_type s' o = obj_type s o.
Proof.
  intros g s s' [| i] R Ho; [reflexivity |].
  assert (Hi : i <> ef_id g) by congruence.
  assert (E : forall t, obj_type t (Obj i) =
                        match option_map e_action (lookup i t) with
                        | Some (Make ty) => Some ty
                        | _ => None
                        end)
    by (intro t; simpl; destruct (lookup i t); reflexivity).
  rewrite !E, (lookup_run_obs e_action g s s' i R Hi); [reflexivity | |].
  - intro en; apply link_fields.
  - intros o r en en' _ F; apply (place_elem_fields _ _ _ _ F).
Qed.

Lemma has_elem_run :
  forall g s s' o x,
    run g s = Some s' -> o <> Obj (ef_id g) -> x <> ef_id g -> has_elem s' o x = has_elem s o x.
Proof.
  intros g s s' [| i] x R Ho Hx; [reflexivity |].
  assert (Hi : i <> ef_id g) by congruence.
  assert (E : forall t, has_elem t (Obj i) x =
                        match option_map (fun en => mem x (e_elems en)) (lookup i t) with
                        | Some b => b
                        | None => false
                        end)
    by (intro t; simpl; destruct (lookup i t); reflexivity).
  rewrite !E, (lookup_run_obs (fun en => mem x (e_elems en)) g s s' i R Hi); [reflexivity | |].
  - intro en; simpl; destruct (link_fields g en) as (_ & _ & ->); reflexivity.
  - intros o r en en' _ F; simpl.
    destruct (place_elem_fields _ _ _ _ F) as [_ Hin].
    destruct (mem x (e_elems en)) eqn:M1; destruct (mem x (e_elems en')) eqn:M2; try reflexivity.
    + apply mem_true in M1; apply mem_false in M2; exfalso; apply M2, Hin; left; exact M1.
    + apply mem_true in M2; apply mem_false in M1; apply Hin in M2.
      destruct M2 as [M2 | M2]; [contradiction | congruence].
Qed.

Lemma in_refs_obj : forall a i, op_obj a = Obj i -> In i (refs a).
Proof. intros a i H; unfold refs; rewrite H; simpl; auto. Qed.

Lemma in_refs_key : forall a r, op_key a = KElem r -> In r (refs a).
Proof.
  intros a r H; unfold refs; rewrite H; apply in_or_app; right; simpl; auto.
Qed.

Lemma in_refs_pred : forall a p, In p (op_pred a) -> In p (refs a).
Proof.
  intros a p H; unfold refs; apply in_or_app; right; apply in_or_app; right; exact H.
Qed.

(** Another op's effect does not change how an op is checked, unless the op names it. *)
Lemma plan_run :
  forall g s s' a, run g s = Some s' -> ~ In (ef_id g) (refs a) -> plan s' a = plan s a.
Proof.
  intros g s s' a R Hn; unfold plan.
  rewrite (obj_type_run g s s' (op_obj a) R)
    by (intro E; apply Hn, in_refs_obj; exact E).
  destruct (obj_type s (op_obj a)) as [t |]; [| reflexivity].
  destruct (is_seq t); [| reflexivity].
  destruct (op_obj a) as [| i] eqn:O; destruct (op_insert a); destruct (op_key a) as [k | | r] eqn:K;
    try reflexivity;
    rewrite (has_elem_run g s s' _ r R) by
      (first [intro E; injection E as E; apply Hn, in_refs_obj; rewrite O, E; reflexivity
             | discriminate
             | intro E; apply Hn, in_refs_key; rewrite K, E; reflexivity]);
    reflexivity.
Qed.

Lemma plan_shape :
  forall s a f, plan s a = Some f ->
    ef_id f = op_id a /\ (forall p, In p (ef_preds f) -> In p (refs a)) /\
    (forall o r, ef_place f = Some (o, r) -> In o (refs a) /\ (forall x, r = Some x -> In x (refs a))).
Proof.
  intros s a f H; unfold plan in H.
  destruct (obj_type s (op_obj a)) as [t |]; [| discriminate].
  destruct (is_seq t).
  - destruct (op_obj a) as [| i] eqn:O; destruct (op_insert a); destruct (op_key a) as [k | | r] eqn:K;
      try discriminate;
      try (destruct (has_elem s _ r); [| discriminate]; injection H as <-; simpl;
           split; [reflexivity | split; [intros p P; apply in_refs_pred; exact P | discriminate]]);
      unfold insert_effect in H; destruct (op_action a); try discriminate; injection H as <-; simpl;
      (split; [reflexivity | split; [contradiction |]]);
      intros o r' P; injection P as <- <-;
      (split; [apply in_refs_obj; exact O |]);
      intros x X; try discriminate; injection X as <-; apply in_refs_key; exact K.
  - destruct (op_insert a); destruct (op_key a) as [k | | r]; try discriminate.
    injection H as <-; simpl.
    split; [reflexivity | split; [intros p P; apply in_refs_pred; exact P | discriminate]].
Qed.

(** ** The commutation theorem *)

Theorem apply_commutes :
  forall s a b, independent a b ->
    obind (apply_op s a) (fun s' => apply_op s' b) = obind (apply_op s b) (fun s' => apply_op s' a).
Proof.
  intros s a b (Hne & Hab & Hba); unfold apply_op.
  destruct (plan s a) as [f |] eqn:Pa; destruct (plan s b) as [g |] eqn:Pb; simpl.
  - destruct (plan_shape s a f Pa) as (If & Pf & Lf).
    destruct (plan_shape s b g Pb) as (Ig & Pg & Lg).
    assert (H : indep f g).
    { unfold indep; rewrite If, Ig; repeat split.
      - exact Hne.
      - intro P; apply Hba, Pf, P.
      - intro P; apply Hab, Pg, P.
      - intro E; subst; apply Hba, (proj1 (Lf _ _ H)).
      - intro E; subst; apply Hba, (proj2 (Lf _ _ H)); reflexivity.
      - intro E; subst; apply Hab, (proj1 (Lg _ _ H)).
      - intro E; subst; apply Hab, (proj2 (Lg _ _ H)); reflexivity. }
    transitivity (obind (run f s) (run g)).
    { destruct (run f s) as [s1 |] eqn:R; simpl; [| reflexivity].
      rewrite (plan_run f s s1 b R) by (rewrite If; exact Hab); rewrite Pb; reflexivity. }
    rewrite run_comm by exact H.
    destruct (run g s) as [s1 |] eqn:R; simpl; [| reflexivity].
    rewrite (plan_run g s s1 a R) by (rewrite Ig; exact Hba); rewrite Pa; reflexivity.
  - destruct (plan_shape s a f Pa) as (If & _ & _).
    destruct (run f s) as [s1 |] eqn:R; simpl; [| reflexivity].
    rewrite (plan_run f s s1 b R) by (rewrite If; exact Hab); rewrite Pb; reflexivity.
  - destruct (plan_shape s b g Pb) as (Ig & _ & _).
    destruct (run g s) as [s1 |] eqn:R; simpl; [| reflexivity].
    rewrite (plan_run g s s1 a R) by (rewrite Ig; exact Hba); rewrite Pa; reflexivity.
  - reflexivity.
Qed.
