package io.cogflow.training.data;

/**
 * Classifies a foreground mask by template matching: the largest connected blob's bounding box is filled with each
 * shape's unit template stretched to that box, and the template with the best intersection-over-union wins.
 * Stretching to the box makes the score independent of position and size (and tolerant of a generated video's
 * slightly squashed shapes); the fill pattern inside the box — circle ≈ π/4, square ≈ 1, triangle ½, star ≈ 0.4,
 * and where that fill sits — tells the shapes apart.
 */
final class ShapeMatcher {
    /** Boxes smaller than this (pixels per side) carry too little shape information to score. */
    static final int MIN_SIDE = 5;

    private ShapeMatcher() {}

    /** IoU of the mask's largest blob with every {@link Shape} template (indexed by ordinal), or null if too small. */
    static double[] scores(boolean[] mask, int height, int width) {
        boolean[] blob = largestComponent(mask, height, width);
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (blob[y * width + x]) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        if (x1 - x0 + 1 < MIN_SIDE || y1 - y0 + 1 < MIN_SIDE) {
            return null;
        }
        Shape[] shapes = Shape.values();
        double[] iou = new double[shapes.length];
        for (Shape shape : shapes) {
            double[] b = shape.bounds();
            int inter = 0, union = 0;
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double u = b[0] + (x + 0.5 - x0) / (x1 + 1 - x0) * (b[2] - b[0]);
                    double v = b[1] + (y + 0.5 - y0) / (y1 + 1 - y0) * (b[3] - b[1]);
                    boolean t = shape.contains(u, v);
                    boolean m = blob[y * width + x];
                    inter += t && m ? 1 : 0;
                    union += t || m ? 1 : 0;
                }
            }
            iou[shape.ordinal()] = union == 0 ? 0 : inter / (double) union;
        }
        return iou;
    }

    /** The largest 4-connected component, so specks and a generated video's stray blobs do not stretch the box. */
    static boolean[] largestComponent(boolean[] mask, int height, int width) {
        int n = height * width;
        int[] label = new int[n];
        int[] stack = new int[n];
        int best = 0, bestSize = 0, next = 0;
        for (int start = 0; start < n; start++) {
            if (!mask[start] || label[start] != 0) {
                continue;
            }
            next++;
            int size = 0, top = 0;
            stack[top++] = start;
            label[start] = next;
            while (top > 0) {
                int p = stack[--top];
                size++;
                int x = p % width, y = p / width;
                if (x > 0) top = push(mask, label, stack, top, p - 1, next);
                if (x < width - 1) top = push(mask, label, stack, top, p + 1, next);
                if (y > 0) top = push(mask, label, stack, top, p - width, next);
                if (y < height - 1) top = push(mask, label, stack, top, p + width, next);
            }
            if (size > bestSize) {
                bestSize = size;
                best = next;
            }
        }
        boolean[] out = new boolean[n];
        for (int p = 0; p < n; p++) {
            out[p] = best != 0 && label[p] == best;
        }
        return out;
    }

    private static int push(boolean[] mask, int[] label, int[] stack, int top, int p, int id) {
        if (mask[p] && label[p] == 0) {
            label[p] = id;
            stack[top++] = p;
        }
        return top;
    }
}
