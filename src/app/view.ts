// The shape every view of the app has: a labelled section that refreshes itself when shown.

export interface View {
  id: string;
  /** The label of its tab. */
  title: string;
  element: HTMLElement;
  /** Called each time the view is shown and after the memory changes while it is shown. */
  refresh(): Promise<void>;
}
