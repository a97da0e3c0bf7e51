"""Native reference for `npm run bench -- --native`: ResNet50 (v1, stride on the first 1x1 conv,
as the Keras models) in PyTorch on the CPU, channels-last, random weights, eval mode.
Prints one JSON line: {"batch": images/s, ...}. Needs only torch (no torchvision)."""
import json
import sys
import time

import torch
from torch import nn


class Bottleneck(nn.Module):
    def __init__(self, cin, f, stride, project):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(cin, f, 1, stride, bias=False), nn.BatchNorm2d(f, eps=1e-3), nn.ReLU(inplace=True),
            nn.Conv2d(f, f, 3, 1, 1, bias=False), nn.BatchNorm2d(f, eps=1e-3), nn.ReLU(inplace=True),
            nn.Conv2d(f, 4 * f, 1, bias=False), nn.BatchNorm2d(4 * f, eps=1e-3),
        )
        self.short = (
            nn.Sequential(nn.Conv2d(cin, 4 * f, 1, stride, bias=False), nn.BatchNorm2d(4 * f, eps=1e-3))
            if project
            else nn.Identity()
        )
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.main(x) + self.short(x))


def resnet50():
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64, eps=1e-3), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2)]
    cin = 64
    for f, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        for b in range(blocks):
            layers.append(Bottleneck(cin, f, stride if b == 0 else 1, b == 0))
            cin = 4 * f
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1))


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    batches = [int(b) for b in sys.argv[2].split(",")] if len(sys.argv) > 2 else [1, 8, 16]
    torch.set_num_threads(threads)
    model = resnet50().eval().to(memory_format=torch.channels_last)
    out = {}
    with torch.inference_mode():
        for batch in batches:
            x = torch.randn(batch, 3, 224, 224).to(memory_format=torch.channels_last)
            model(x)
            rates = []
            for _ in range(5):
                t = time.perf_counter()
                model(x)
                rates.append(batch / (time.perf_counter() - t))
            rates.sort()
            out[str(batch)] = rates[len(rates) // 2]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
