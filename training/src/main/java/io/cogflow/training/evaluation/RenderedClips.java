package io.cogflow.training.evaluation;

import io.cogflow.model.tensor.HostTensor;
import io.cogflow.training.data.ClipRenderer;
import io.cogflow.training.data.ClipSpec;

import java.util.List;

/** Rendered clips as the VAE's encoder takes them: one (B, 3, T, H, W) batch in [−1, 1]. */
final class RenderedClips {
    private RenderedClips() {
    }

    static HostTensor batch(ClipRenderer renderer, List<ClipSpec> clips, int frames, int height, int width) {
        int b = clips.size();
        int plane = height * width;
        // ClipRenderer gives (T, 3, H, W); the VAE takes (B, 3, T, H, W)
        float[] video = new float[b * 3 * frames * plane];
        for (int i = 0; i < b; i++) {
            float[] clip = renderer.render(clips.get(i));
            for (int f = 0; f < frames; f++) {
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(clip, (f * 3 + c) * plane, video, ((i * 3 + c) * frames + f) * plane, plane);
                }
            }
        }
        return new HostTensor(new long[] {b, 3, frames, height, width}, video);
    }
}
