/** Series colours (matplotlib's tab10, colour-blind tolerant) and the viridis / diverging ramps for maps. */
export const SERIES_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export const seriesColor = (k: number): string => SERIES_COLORS[k % SERIES_COLORS.length];

export const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/** Blue-white-red for signed errors (centred on zero by the caller's symmetric range). */
export const DIVERGING = ['#2166ac', '#67a9cf', '#f7f7f7', '#ef8a62', '#b2182b'];
